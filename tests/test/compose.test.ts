import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_FACTORIES } from '@stratus/cli';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** docker-compose v1 or the compose plugin, whichever is installed (no Docker engine is needed for `config`). */
function compose(args: string[]): string {
  for (const [cmd, pre] of [['docker-compose', []], ['docker', ['compose']]] as const) {
    try {
      return execFileSync(cmd, [...pre, '-f', join(ROOT, 'compose.yaml'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT' && !String((e as Error).message).includes('unknown command')) throw e;
    }
  }
  throw new Error('SKIP');
}

const hasCompose = (() => {
  try {
    compose(['version']);
    return true;
  } catch {
    return false;
  }
})();

describe('compose.yaml and the Dockerfile', () => {
  it('is a valid compose file with every Stratus role, NATS and Redis', { skip: !hasCompose && 'no docker-compose here' }, () => {
    compose(['config', '-q']);
    const services = compose(['config', '--services']).trim().split('\n').sort();
    assert.deepEqual(services, ['gateway', 'nats', 'redis', ...Object.keys(SERVICE_FACTORIES)].sort());
  });

  it('starts each role with the commands the distributed tests run as processes', () => {
    const text = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    assert.match(text, /command: \["gateway"\]/);
    for (const name of Object.keys(SERVICE_FACTORIES)) {
      assert.match(text, new RegExp(`command: \\["service", "${name}"\\]`), `no replica command for ${name}`);
      assert.match(text, new RegExp(`"ready", "${name}"\\]`), `no healthcheck for ${name}`);
    }
    // Replicas publish no ports, so `--scale <service>=N` cannot collide; only the gateway does.
    assert.equal((text.match(/^\s+ports:/gm) ?? []).length, 1);
    assert.match(text, /healthcheck:[\s\S]*redis-cli/);
    assert.match(text, /^volumes:\n\s+redis-data:\n\s+blobs:/m);
    assert.match(text, /STRATUS_BLOB_DIR: \/blobs/);
  });

  it('has a Dockerfile whose entrypoint is the built stratus command', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const entry = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(dockerfile);
    assert.ok(entry, 'no exec-form ENTRYPOINT');
    assert.ok(existsSync(join(ROOT, entry[1])), `${entry[1]} is not what the build produces`);
    for (const dir of ['shared', 'gateway', 'services', 'cli']) assert.match(dockerfile, new RegExp(`COPY ${dir} `));
  });
});
