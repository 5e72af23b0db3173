import type { Bus, CallContext, Clock } from '@stratus/shared';
import { missingParameter, queueDoesNotExist } from '../errors.js';
import { publishAvailable, type LongPollHub } from '../long-poll.js';
import { parseQueueUrl } from '../model.js';
import type { MoveTaskRunner } from '../move-task-runner.js';
import type { QueueId, QueueRecord, SqsStore } from '../store/types.js';

/** What the operations share. */
export interface SqsDeps {
  readonly store: SqsStore;
  readonly clock: Clock;
  readonly bus: Bus;
  readonly polls: LongPollHub;
  readonly tasks: MoveTaskRunner;
}

/** The queue a request's QueueUrl names, or QueueDoesNotExist. */
export async function requireQueue(deps: SqsDeps, ctx: CallContext, url: unknown): Promise<QueueRecord> {
  if (typeof url !== 'string' || url.length === 0) throw missingParameter('QueueUrl');
  const id = parseQueueUrl(url, ctx.account, ctx.region);
  const queue = id && (await deps.store.getQueue(id));
  if (!queue) throw queueDoesNotExist(ctx.protocol);
  return queue;
}

/** Tells long polls everywhere that `queue` may have receivable messages. */
export function announce(deps: SqsDeps, queue: QueueId): void {
  publishAvailable(deps.bus, queue);
}

export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/**
 * A page of a sorted name list. The token is the last name returned, so a listing stays consistent
 * while queues come and go. Without `max` a listing stops at `limit` and has no token.
 */
export function paginate(names: readonly string[], token: unknown, max: number | undefined, limit: number): { page: string[]; next?: string } {
  const after = typeof token === 'string' && token ? Buffer.from(token, 'base64url').toString('utf8') : undefined;
  const start = after === undefined ? 0 : names.findIndex((n) => n > after);
  if (start < 0) return { page: [] };
  const size = max ?? limit;
  const page = names.slice(start, start + size);
  const more = max !== undefined && start + size < names.length;
  return more ? { page, next: Buffer.from(page[page.length - 1], 'utf8').toString('base64url') } : { page };
}
