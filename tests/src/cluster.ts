import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@stratus/shared/testing/ports';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const STRATUS_BIN = join(ROOT, 'cli', 'dist', 'src', 'main.js');
const NATS_SERVER = process.env.NATS_SERVER_BIN ?? (process.platform === 'linux' ? '/usr/sbin/nats-server' : 'nats-server');

/** A child process the cluster owns; killed when the cluster stops. */
export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
}

/**
 * Distributed Stratus for tests: its own redis-server and nats-server on free ports (so runs never share
 * data), a gateway and service replicas as separate processes, started exactly as `stratus` is in production.
 */
export class Cluster {
  readonly procs: Proc[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'stratus-cluster-'));
  redisPort = 0;
  natsPort = 0;
  gatewayPort = 0;

  /** Where the cluster's processes keep object bodies: one directory for all of them. */
  get blobDir(): string {
    return join(this.dir, 'blobs');
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.gatewayPort}`;
  }

  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      STRATUS_REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      STRATUS_NATS_URL: `nats://127.0.0.1:${this.natsPort}`,
      STRATUS_LOG_LEVEL: process.env.STRATUS_TEST_LOG_LEVEL ?? 'warn',
      // The blob store the gateway and every S3 replica share (a volume in compose.yaml).
      STRATUS_BLOB_DIR: this.blobDir,
      TMPDIR: this.dir,
    };
  }

  static async start(replicas: Record<string, number>): Promise<Cluster> {
    const c = new Cluster();
    try {
      c.redisPort = await freePort();
      c.spawn('redis', 'redis-server', ['--port', String(c.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', c.dir]);
      c.natsPort = await freePort();
      c.spawn('nats', NATS_SERVER, ['-a', '127.0.0.1', '-p', String(c.natsPort)]);
      await Promise.all([waitForPort(c.redisPort), waitForPort(c.natsPort)]);
      for (const [service, n] of Object.entries(replicas)) {
        for (let i = 0; i < n; i++) await c.startReplica(service);
      }
      c.gatewayPort = await freePort();
      c.spawnStratus('gateway', ['gateway'], { STRATUS_PORT: String(c.gatewayPort) });
      await waitForPort(c.gatewayPort);
      return c;
    } catch (e) {
      await c.stop();
      throw e;
    }
  }

  /** Starts one more replica and resolves once it serves. */
  async startReplica(service: string): Promise<Proc> {
    const n = this.procs.filter((p) => p.name.startsWith(`${service}-`)).length + 1;
    const proc = this.spawnStratus(`${service}-${n}`, ['service', service], { TMPDIR: join(this.dir) });
    await waitForOutput(proc, 'replica is ready');
    return proc;
  }

  replicas(service: string): Proc[] {
    return this.procs.filter((p) => p.name.startsWith(`${service}-`) && p.child.exitCode === null && p.child.signalCode === null);
  }

  /** Ends a process the way a crash would. */
  kill(proc: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((resolve) => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
      proc.child.once('exit', () => resolve());
      proc.child.kill(signal);
    });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs].reverse().map((p) => this.kill(p, 'SIGKILL')));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawnStratus(name: string, args: string[], env: Record<string, string>): Proc {
    return this.spawn(name, process.execPath, [STRATUS_BIN, ...args], { ...this.env, STRATUS_LOG_LEVEL: 'info', ...env });
  }

  private spawn(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc: Proc = { name, child, output: [] };
    const keep = (b: Buffer) => {
      proc.output.push(b.toString());
      if (proc.output.length > 200) proc.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.procs.push(proc);
    return proc;
  }
}

function waitForOutput(proc: Proc, text: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name} did not say "${text}" in ${timeoutMs} ms:\n${proc.output.join('')}`)), timeoutMs);
    const check = () => {
      if (proc.output.join('').includes(text)) {
        clearTimeout(timer);
        proc.child.stdout?.off('data', check);
        resolve();
      }
    };
    proc.child.stdout?.on('data', check);
    proc.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited with ${code}:\n${proc.output.join('')}`));
    });
    check();
  });
}
