import type { CallContext } from './context.js';
import type { Bus } from './bus/bus.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { StratusConfig } from './config.js';
import type { BlobStore } from './blobs/store.js';

/** A service operation: typed input and context in, typed output out, or an AwsError thrown. */
export type Handler<I = any, O = any> = (input: I, ctx: CallContext) => Promise<O> | O;

/** What every service package exports: its operation table and the hooks the runtime needs. */
export interface Service {
  /** Bus name: `sqs`, `sts`, ... */
  readonly name: string;
  readonly operations: Readonly<Record<string, Handler>>;
  /** Forget state: everything, or one account's. */
  reset(account?: string): Promise<void>;
  /** A JSON picture of every resource, for `/_stratus/state`. */
  dump(): Promise<unknown>;
  close(): Promise<void>;
}

/** What the runtime hands a service factory: the shared clock, the bus for events, config and logger. */
export interface ServiceRuntime {
  clock: Clock;
  bus: Bus;
  config: StratusConfig;
  logger: Logger;
  /** Object bodies (S3, Lambda code): one store shared by the gateway and the services that keep bodies. */
  blobs?: () => Promise<BlobStore>;
}

export type ServiceFactory = (runtime: ServiceRuntime) => Promise<Service>;
