import { Clock, ClockSync, LocalBus, createLogger, loadConfig, serviceDispatcher, type Logger, type Service, type StratusConfig } from '@stratus/shared';
import { BlobStore } from '@stratus/shared/blobs/index';
import { createGateway } from '@stratus/gateway';
import { SERVICE_FACTORIES } from './services.js';
import { VERSION } from './version.js';
import { closeServer, listen } from './listen.js';

export interface RunningStratus {
  port: number;
  endpoint: string;
  clock: Clock;
  close(): Promise<void>;
}

/**
 * Embedded mode: gateway and every service in this process, joined by a LocalBus. State lives in
 * memory, or in config.dataDir when set.
 */
export async function startEmbedded(overrides: Partial<StratusConfig> = {}, logger?: Logger): Promise<RunningStratus> {
  const config = { ...loadConfig(), ...overrides };
  const log = logger ?? createLogger(config.logLevel);
  // The gateway and the services that keep bodies (S3) share one blob store: in config.blobDir, or a temp
  // dir of this process (removed by close).
  const blobs = config.services.includes('s3') ? await BlobStore.open({ dir: config.blobDir }) : undefined;
  const clock = new Clock();
  const bus = new LocalBus();
  const services: Service[] = [];
  for (const name of config.services) {
    const service = await SERVICE_FACTORIES[name]({ clock, bus, config, logger: log.child({ service: name }), blobs });
    await bus.serve(name, serviceDispatcher(service, log));
    services.push(service);
  }
  const server = createGateway({
    bus,
    logger: log,
    clock,
    clockSync: new ClockSync(clock, bus),
    mode: 'embedded',
    services: config.services,
    version: VERSION,
    blobs,
  });
  const port = await listen(server, config.port, config.host);
  log.info({ port, host: config.host, services: config.services, dataDir: config.dataDir }, 'Stratus embedded is ready');
  return {
    port,
    endpoint: `http://${config.host}:${port}`,
    clock,
    async close() {
      await closeServer(server);
      for (const s of services) await s.close();
      await bus.close();
      await blobs?.close();
    },
  };
}
