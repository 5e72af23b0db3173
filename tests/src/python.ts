import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '@stratus/cli';

/** What a tests/py script reports on its last line. */
export interface PythonCaseResult {
  name: string;
  ok: boolean;
  error?: string;
  where?: string;
}

export interface PythonRun {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tests/py script against `endpoint` with boto3's environment set as a user would set it, and
 * nothing of the caller's own AWS configuration (pyenv's variables are kept).
 */
export function runPython(script: string, endpoint: string, accessKeyId: string, limitMs: number): Promise<PythonRun> {
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    PYTHONIOENCODING: 'utf-8',
    PYTHONDONTWRITEBYTECODE: '1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile('python3', [script], { env, timeout: limitMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal ?? 'failed') : 0, stdout, stderr });
    });
  });
}

/** The JSON summary on a script's last line of output. */
export function pythonSummary(run: PythonRun): { registered: number; cases: PythonCaseResult[] } | undefined {
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as { registered: number; cases: PythonCaseResult[] };
  } catch {
    return undefined;
  }
}

// A 12-digit access key: everything a script makes lands in this account.
const SCRIPT_ACCOUNT = '123456789012';
// Bounds a hung run; not a performance assertion.
const SCRIPT_LIMIT_MS = 180_000;

/**
 * Runs tests/py/<script> (cases registered with tests/py/cases.py) against an embedded Stratus in one
 * python process (a process per case would cost a second each) and reports each case as a subtest of `t`
 * that fails with the python assertion.
 */
export async function pythonCases(t: TestContext, script: string, minCases: number): Promise<void> {
  const stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
  try {
    const path = fileURLToPath(new URL(`../../py/${script}`, import.meta.url));
    const run = await runPython(path, stratus.endpoint, SCRIPT_ACCOUNT, SCRIPT_LIMIT_MS);
    assert.equal(run.code, 0, `python exited with ${run.code}\n${run.stderr}`);
    const summary = pythonSummary(run);
    assert.ok(summary, `no JSON summary from the script:\n${run.stdout}\n${run.stderr}`);
    assert.equal(summary.cases.length, summary.registered, 'every case the script defines ran');
    assert.ok(summary.registered >= minCases, `the script defines only ${summary.registered} cases`);
    for (const c of summary.cases) {
      await t.test(c.name.replaceAll('_', ' '), () => {
        assert.ok(c.ok, `${c.error}\n    at ${c.where} (tests/py/${script})`);
      });
    }
  } finally {
    await stratus.close();
  }
}
