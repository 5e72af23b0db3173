import { Clock, ClockSync, LocalBus, createLogger, loadConfig, once, warmUpLater, type Logger, type StratusConfig } from '@stratus/shared';
import { createGateway } from '@stratus/gateway';
import { SERVICE_FACTORIES } from './services.js';
import { VERSION } from './version.js';
import { closeServer, listen } from './listen.js';
import { LazyService } from './lazy-service.js';

export interface RunningStratus {
  port: number;
  endpoint: string;
  clock: Clock;
  close(): Promise<void>;
}

/**
 * Embedded mode: gateway and every service in this process, joined by a LocalBus. State lives in
 * memory, or in config.dataDir when set. Services start on their first call, or in the background shortly
 * after the gateway listens, so the first answer comes as soon as the HTTP server and its service are up.
 */
export async function startEmbedded(overrides: Partial<StratusConfig> = {}, logger?: Logger): Promise<RunningStratus> {
  const config = { ...loadConfig(), ...overrides };
  const log = logger ?? createLogger(config.logLevel);
  // The gateway and the services that keep bodies (S3) share one blob store: in config.blobDir, or a temp
  // dir of this process (removed by close). Opened on first use.
  const blobs = config.services.includes('s3')
    ? once(async () => (await import('@stratus/shared/blobs/index')).BlobStore.open({ dir: config.blobDir }))
    : undefined;
  const clock = new Clock();
  const bus = new LocalBus();
  const services = config.services.map((name) => {
    const service = new LazyService(
      async () => SERVICE_FACTORIES[name]({ clock, bus, config, logger: log.child({ service: name }), blobs }),
      log,
    );
    return { name, service };
  });
  for (const { name, service } of services) await bus.serve(name, service.dispatch);
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
  warmUpLater(() => {
    for (const { name, service } of services) {
      service.start().catch((err: unknown) => log.error({ err, service: name }, 'service failed to start; its calls will fail'));
    }
  });
  return {
    port,
    endpoint: `http://${config.host}:${port}`,
    clock,
    async close() {
      await closeServer(server);
      for (const { service } of services) await service.close();
      await bus.close();
      if (blobs) await (await blobs()).close();
    },
  };
}
