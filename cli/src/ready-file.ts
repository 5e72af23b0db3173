import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A service replica has no HTTP port; its container healthcheck (`stratus ready <name>`) reads this file.
const readyFile = (service: string) => join(tmpdir(), `stratus-${service}.ready`);

export function markReady(service: string): void {
  writeFileSync(readyFile(service), String(process.pid));
}

export function clearReady(service: string): void {
  rmSync(readyFile(service), { force: true });
}

/** True when a replica of `service` in this container said it is serving and is still alive. */
export function isReady(service: string): boolean {
  const file = readyFile(service);
  if (!existsSync(file)) return false;
  try {
    process.kill(Number(readFileSync(file, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}
