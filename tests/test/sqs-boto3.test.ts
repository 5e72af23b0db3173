import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '@stratus/cli';

/**
 * SQS and STS through boto3 (botocore >= 1.34.90 speaks SQS's JSON protocol; STS is query). One python
 * process runs every case of tests/py/sqs_boto3.py against an embedded server (a process per case would
 * cost a second each); each case it reports becomes a subtest here, failing with the python assertion.
 */

// A 12-digit access key: every queue the script makes lands in this account.
const ACCOUNT = '123456789012';
// The script runs about 40 calls a case; this bounds a hung run, it is not a performance assertion.
const SCRIPT_LIMIT_MS = 180_000;

interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  where?: string;
}

function runPython(script: string, endpoint: string): Promise<{ code: number | string | null; stdout: string; stderr: string }> {
  // The caller's environment (pyenv needs its variables) without any AWS_* setting of its own.
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: ACCOUNT,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    // No developer config or credentials file may change what the script sends.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile('python3', [script], { env, timeout: SCRIPT_LIMIT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal ?? 'failed') : 0, stdout, stderr });
    });
  });
}

test('SQS and STS through boto3', async (t) => {
  const stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  try {
    const script = fileURLToPath(new URL('../../py/sqs_boto3.py', import.meta.url));
    const { code, stdout, stderr } = await runPython(script, stratus.endpoint);
    assert.equal(code, 0, `python exited with ${code}\n${stderr}`);
    const last = stdout.trim().split('\n').pop() ?? '';
    let summary: { registered: number; cases: CaseResult[] };
    try {
      summary = JSON.parse(last) as typeof summary;
    } catch {
      assert.fail(`no JSON summary from the script:\n${stdout}\n${stderr}`);
    }
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
