import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, ClockSync, createLogger, loadConfig, serviceDispatcher, type Logger, type StratusConfig } from '@stratus/shared';
import { NatsBus } from '@stratus/shared/bus/nats';
import { connectRedis } from '@stratus/shared/redis';
import { createGateway } from '@stratus/gateway';
import { SERVICE_FACTORIES } from './services.js';
import { VERSION } from './version.js';
import { closeServer, listen } from './listen.js';
import type { RunningStratus } from './embedded.js';
import { clearReady, markReady } from './ready-file.js';

/** The blob store directory every process of a cluster shares: configured, or one per host under the temp dir. */
function distributedBlobDir(config: StratusConfig): string {
  return config.blobDir ?? join(tmpdir(), 'stratus-blobs');
}

function required(config: StratusConfig, what: 'natsUrl' | 'redisUrl'): string {
  const v = config[what];
  if (!v) throw new Error(`Distributed mode needs ${what === 'natsUrl' ? 'STRATUS_NATS_URL' : 'STRATUS_REDIS_URL'}`);
  return v;
}

/** Distributed mode, front door: decodes requests and calls services over NATS. */
export async function startGateway(overrides: Partial<StratusConfig> = {}, logger?: Logger): Promise<RunningStratus> {
  const config = { ...loadConfig(), ...overrides };
  const log = logger ?? createLogger(config.logLevel);
  const bus = await NatsBus.connect(required(config, 'natsUrl'), 'stratus-gateway', log);
  const redis = connectRedis(required(config, 'redisUrl'));
  const clock = new Clock();
  const clockSync = new ClockSync(clock, bus, redis);
  await clockSync.start();
  const server = createGateway({
    bus,
    logger: log,
    clock,
    clockSync,
    mode: 'distributed',
    services: config.services,
    version: VERSION,
    blobDir: distributedBlobDir(config),
  });
  const port = await listen(server, config.port, config.host);
  log.info({ port, host: config.host, services: config.services }, 'Stratus gateway is ready');
  return {
    port,
    endpoint: `http://${config.host}:${port}`,
    clock,
    async close() {
      await closeServer(server);
      clockSync.stop();
      await bus.close();
      redis.disconnect();
    },
  };
}

export interface RunningService {
  close(): Promise<void>;
}

/** Distributed mode, one replica of one service: serves its queue group on NATS, state in Redis. */
export async function startService(name: string, overrides: Partial<StratusConfig> = {}, logger?: Logger): Promise<RunningService> {
  const config = { ...loadConfig(), ...overrides };
  config.blobDir = distributedBlobDir(config);
  const factory = SERVICE_FACTORIES[name];
  if (!factory) throw new Error(`Unknown service "${name}" (known: ${Object.keys(SERVICE_FACTORIES).join(', ')})`);
  const log = (logger ?? createLogger(config.logLevel)).child({ service: name });
  const bus = await NatsBus.connect(required(config, 'natsUrl'), `stratus-${name}`, log);
  const redis = connectRedis(required(config, 'redisUrl'));
  const clock = new Clock();
  const clockSync = new ClockSync(clock, bus, redis);
  await clockSync.start();
  const service = await factory({ clock, bus, config, logger: log });
  await bus.serve(name, serviceDispatcher(service, log));
  markReady(name);
  log.info({ pid: process.pid }, `Stratus ${name} replica is ready`);
  return {
    async close() {
      clearReady(name);
      await bus.close();
      await service.close();
      clockSync.stop();
      redis.disconnect();
    },
  };
}
