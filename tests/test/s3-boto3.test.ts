import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '@stratus/cli';
import { pythonSummary, runPython } from '../src/python.js';

/**
 * S3 through boto3: the transfer manager (upload_file / download_file in parts), presigned URLs and POSTs,
 * paginators, the resource API, versioning, aws-chunked uploads with CRC32 trailers, and errors as
 * botocore surfaces them. One python process runs every case of tests/py/s3_boto3.py against an embedded
 * server (a process per case would cost a second each); each case it reports becomes a subtest here,
 * failing with the python assertion.
 */

// A 12-digit access key: every bucket the script makes belongs to this account.
const ACCOUNT = '123456789012';
// Bounds a hung run; not a performance assertion.
const SCRIPT_LIMIT_MS = 180_000;

test('S3 through boto3', async (t) => {
  const stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  try {
    const script = fileURLToPath(new URL('../../py/s3_boto3.py', import.meta.url));
    const run = await runPython(script, stratus.endpoint, ACCOUNT, SCRIPT_LIMIT_MS);
    assert.equal(run.code, 0, `python exited with ${run.code}\n${run.stderr}`);
    const summary = pythonSummary(run);
    assert.ok(summary, `no JSON summary from the script:\n${run.stdout}\n${run.stderr}`);
    const { registered, cases } = summary;
    assert.equal(cases.length, registered, 'every case the script defines ran');
    assert.ok(registered >= 10, `the script defines only ${registered} cases`);
    for (const c of cases) {
      await t.test(c.name.replaceAll('_', ' '), () => {
        assert.ok(c.ok, `${c.error}\n    at ${c.where} (tests/py/s3_boto3.py)`);
      });
    }
  } finally {
    await stratus.close();
  }
});
