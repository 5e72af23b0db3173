import { connect, ErrorCode, type NatsConnection, type Subscription } from 'nats';
import { AwsError, internalError, isAwsError, type SerializedAwsError } from '../errors.js';
import type { CallContext } from '../context.js';
import type { Bus, CallOptions, Dispatcher, EventHandler } from './bus.js';
import { serviceNotRunning } from './local.js';
import type { Logger } from '../logger.js';

const CALL_PREFIX = 'stratus.call.';
const EVENT_PREFIX = 'stratus.event.';
const DEFAULT_TIMEOUT_MS = 30_000;

interface CallMessage {
  o: string;
  i: Record<string, unknown>;
  c: CallContext;
}
type ReplyMessage = { r: unknown } | { e: SerializedAwsError };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encode = (v: unknown): Uint8Array => encoder.encode(JSON.stringify(v));
const decode = <T>(b: Uint8Array): T => JSON.parse(decoder.decode(b)) as T;

/**
 * Distributed mode: calls are NATS request/reply on `stratus.call.<service>`, served by a queue group
 * named after the service so N replicas share the load; events go to `stratus.event.<subject>`.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats' as const;
  private readonly subs: Subscription[] = [];

  private constructor(private readonly nc: NatsConnection, private readonly logger?: Logger) {}

  static async connect(url: string, name: string, logger?: Logger): Promise<NatsBus> {
    const nc = await connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    return new NatsBus(nc, logger);
  }

  async call(service: string, operation: string, input: Record<string, unknown>, ctx: CallContext, options: CallOptions = {}): Promise<unknown> {
    let reply;
    try {
      reply = await this.nc.request(CALL_PREFIX + service, encode({ o: operation, i: input, c: ctx } satisfies CallMessage), {
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (e) {
      if ((e as { code?: string }).code === ErrorCode.NoResponders) throw serviceNotRunning(service);
      if ((e as { code?: string }).code === ErrorCode.Timeout) {
        throw new AwsError('ServiceUnavailable', `Service ${service} did not answer in time.`, 503);
      }
      throw e;
    }
    const msg = decode<ReplyMessage>(reply.data);
    if ('e' in msg) throw AwsError.fromJSON(msg.e);
    return msg.r;
  }

  async serve(service: string, dispatcher: Dispatcher): Promise<void> {
    const sub = this.nc.subscribe(CALL_PREFIX + service, {
      queue: service,
      callback: (err, m) => {
        if (err) return;
        const call = decode<CallMessage>(m.data);
        dispatcher(call.o, call.i, call.c).then(
          (r) => m.respond(encode({ r } satisfies ReplyMessage)),
          (e: unknown) => {
            if (!isAwsError(e)) this.logger?.error({ err: e, service, operation: call.o }, 'handler failed');
            m.respond(encode({ e: (isAwsError(e) ? e : internalError()).toJSON() } satisfies ReplyMessage));
          },
        );
      },
    });
    this.subs.push(sub);
    // The subscription must reach the server before this replica counts as serving.
    await this.nc.flush();
  }

  publish(subject: string, data: unknown): void {
    this.nc.publish(EVENT_PREFIX + subject, encode(data));
  }

  subscribe(pattern: string, handler: EventHandler): () => void {
    const sub = this.nc.subscribe(EVENT_PREFIX + pattern, {
      callback: (err, m) => {
        if (!err) handler(decode(m.data), m.subject.slice(EVENT_PREFIX.length));
      },
    });
    this.subs.push(sub);
    return () => sub.unsubscribe();
  }

  /** Resolves once every subscription made so far is known to the server. */
  flush(): Promise<void> {
    return this.nc.flush();
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}
