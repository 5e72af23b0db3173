import { execFile } from 'node:child_process';

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
