import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '@stratus/cli';
import { pythonSummary, runPython } from '../src/python.js';

/**
 * DynamoDB and DynamoDB Streams through boto3: the client, the resource layer with
 * boto3.dynamodb.conditions and batch_writer, waiters, paginators (botocore checks every answer's
 * X-Amz-Crc32). One python process runs every case of tests/py/dynamodb_boto3.py against an embedded
 * server; each case it reports becomes a subtest here, failing with the python assertion.
 */

// A 12-digit access key: every table the script makes lands in this account.
const ACCOUNT = '123456789012';
// Bounds a hung run; not a performance assertion.
const SCRIPT_LIMIT_MS = 180_000;

test('DynamoDB through boto3', async (t) => {
  const stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  try {
    const script = fileURLToPath(new URL('../../py/dynamodb_boto3.py', import.meta.url));
    const run = await runPython(script, stratus.endpoint, ACCOUNT, SCRIPT_LIMIT_MS);
    assert.equal(run.code, 0, `python exited with ${run.code}\n${run.stderr}`);
    const summary = pythonSummary(run);
    assert.ok(summary, `no JSON summary from the script:\n${run.stdout}\n${run.stderr}`);
    assert.equal(summary.cases.length, summary.registered, 'every case the script defines ran');
    assert.ok(summary.registered >= 10, `the script defines only ${summary.registered} cases`);
    for (const c of summary.cases) {
      await t.test(c.name.replaceAll('_', ' '), () => {
        assert.ok(c.ok, `${c.error}\n    at ${c.where} (tests/py/dynamodb_boto3.py)`);
      });
    }
  } finally {
    await stratus.close();
  }
});
