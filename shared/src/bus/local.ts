import { AwsError } from '../errors.js';
import type { CallContext } from '../context.js';
import { subjectMatches, type Bus, type Dispatcher, type EventHandler } from './bus.js';

/** Embedded mode: a call is a direct function call, no serialization on the hot path. */
export class LocalBus implements Bus {
  readonly kind = 'local' as const;
  private readonly services = new Map<string, Dispatcher>();
  private readonly subscriptions = new Set<{ pattern: string; handler: EventHandler }>();

  async call(service: string, operation: string, input: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    const dispatcher = this.services.get(service);
    if (!dispatcher) throw serviceNotRunning(service);
    return dispatcher(operation, input, ctx);
  }

  async serve(service: string, dispatcher: Dispatcher): Promise<void> {
    this.services.set(service, dispatcher);
  }

  publish(subject: string, data: unknown): void {
    for (const s of this.subscriptions) {
      if (!subjectMatches(s.pattern, subject)) continue;
      // Events are asynchronous in both modes, so no publisher depends on a subscriber running inline.
      queueMicrotask(() => s.handler(data, subject));
    }
  }

  subscribe(pattern: string, handler: EventHandler): () => void {
    const s = { pattern, handler };
    this.subscriptions.add(s);
    return () => this.subscriptions.delete(s);
  }

  async close(): Promise<void> {
    this.services.clear();
    this.subscriptions.clear();
  }
}

/** The answer when no process serves a service (not enabled in STRATUS_SERVICES, or none running). */
export function serviceNotRunning(service: string): AwsError {
  return new AwsError('ServiceUnavailable', `Service ${service} is not running in this Stratus instance.`, 503);
}
