import type { CallContext } from '../context.js';

/** Serves one service's calls: operation name, input and context in; output out or AwsError thrown. */
export type Dispatcher = (operation: string, input: Record<string, unknown>, ctx: CallContext) => Promise<unknown>;

export type EventHandler = (data: unknown, subject: string) => void;

export interface CallOptions {
  /** How long the caller waits for an answer; long polls need more than the default. */
  timeoutMs?: number;
}

/**
 * How the gateway reaches services and services reach each other. Two implementations:
 * LocalBus (a direct call in one process) and NatsBus (request/reply over NATS, one queue group per
 * service so replicas share the load). Inputs, outputs and events are plain JSON values: blobs travel
 * as base64 strings or blob-store references, never as Buffers.
 */
export interface Bus {
  readonly kind: 'local' | 'nats';
  call(service: string, operation: string, input: Record<string, unknown>, ctx: CallContext, options?: CallOptions): Promise<unknown>;
  /** Registers this process as (one replica of) a service. */
  serve(service: string, dispatcher: Dispatcher): Promise<void>;
  /** Fire-and-forget event; subject names use dots, e.g. `sqs.available`. */
  publish(subject: string, data: unknown): void;
  /** Subject patterns may end in `>` (anything after) or use `*` for one token, as in NATS. */
  subscribe(subject: string, handler: EventHandler): () => void;
  close(): Promise<void>;
}

/** NATS-style subject matching, shared by both implementations so they agree. */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === subject) return true;
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
