import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

export interface CliResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

// Bounds a hung process; not a performance assertion.
const PROCESS_LIMIT_MS = 60_000;

/**
 * Runs `aws --endpoint-url <endpoint> <args> --output json` with a clean AWS environment (no config or
 * credentials file of the machine's, one attempt, no pager).
 */
export function aws(endpoint: string, args: string[], accessKeyId = 'test'): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    // The caller's environment (pyenv needs its variables) without any AWS_* setting of its own.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONIOENCODING: 'utf-8',
  };
  return new Promise((resolve) => {
    execFile('aws', ['--endpoint-url', endpoint, ...args, '--output', 'json'], { env, timeout: PROCESS_LIMIT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal ?? 'failed') : 0, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed; its output parsed ({} for none). */
export async function awsJson(endpoint: string, args: string[], accessKeyId?: string): Promise<any> {
  const r = await aws(endpoint, args, accessKeyId);
  assert.equal(r.code, 0, `aws ${args.join(' ')} exited with ${r.code}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}
