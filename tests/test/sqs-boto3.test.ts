import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '@stratus/cli';
import { pythonSummary, runPython } from '../src/python.js';

/**
 * SQS and STS through boto3 (botocore >= 1.34.90 speaks SQS's JSON protocol; STS is query). One python
 * process runs every case of tests/py/sqs_boto3.py against an embedded server (a process per case would
 * cost a second each); each case it reports becomes a subtest here, failing with the python assertion.
 */

// A 12-digit access key: every queue the script makes lands in this account.
const ACCOUNT = '123456789012';
// The script runs about 40 calls a case; this bounds a hung run, it is not a performance assertion.
const SCRIPT_LIMIT_MS = 180_000;

test('SQS and STS through boto3', async (t) => {
  const stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  try {
    const script = fileURLToPath(new URL('../../py/sqs_boto3.py', import.meta.url));
    const run = await runPython(script, stratus.endpoint, ACCOUNT, SCRIPT_LIMIT_MS);
    assert.equal(run.code, 0, `python exited with ${run.code}\n${run.stderr}`);
    const summary = pythonSummary(run);
    assert.ok(summary, `no JSON summary from the script:\n${run.stdout}\n${run.stderr}`);
    const { registered, cases } = summary;
    assert.equal(cases.length, registered, 'every case the script defines ran');
    assert.ok(registered >= 16, `the script defines only ${registered} cases`);
    for (const c of cases) {
      await t.test(c.name.replaceAll('_', ' '), () => {
        assert.ok(c.ok, `${c.error}\n    at ${c.where} (tests/py/sqs_boto3.py)`);
      });
    }
  } finally {
    await stratus.close();
  }
});
