import type { QueueId, QueueRecord } from './store/types.js';

/** Largest message (body plus message attributes) and largest batch request: 1 MiB since August 2025. */
export const MAX_MESSAGE_BYTES = 1_048_576;
/** FIFO deduplication interval. */
export const DEDUP_WINDOW_MS = 5 * 60_000;
/** One PurgeQueue per queue per minute. */
export const PURGE_INTERVAL_MS = 60_000;
/** Longest visibility timeout, and the longest a message may stay invisible after one receive. */
export const MAX_VISIBILITY_SECONDS = 43_200;
export const MAX_WAIT_SECONDS = 20;
export const MAX_RECEIVE_MESSAGES = 10;
export const MAX_BATCH_ENTRIES = 10;
export const MAX_LIST_RESULTS = 1000;

/** One string per queue, used for maps, bus events and receipt handles. Names cannot contain '/'. */
export function queueKey(id: QueueId): string {
  return `${id.account}/${id.region}/${id.name}`;
}

export function sameQueue(a: QueueId, b: QueueId): boolean {
  return a.name === b.name && a.account === b.account && a.region === b.region;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function queueArn(id: QueueId): string {
  return `arn:${partitionOf(id.region)}:sqs:${id.region}:${id.account}:${id.name}`;
}

/** `arn:<partition>:sqs:<region>:<account>:<name>`; undefined for anything else. */
export function parseQueueArn(arn: string): QueueId | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !parts[3] || !parts[4] || !parts[5]) return undefined;
  return { region: parts[3], account: parts[4], name: parts[5] };
}

/** The queue URL a client gets back: `http://<host>/<account>/<name>`. */
export function queueUrl(host: string, id: QueueId): string {
  return `http://${host}/${id.account}/${id.name}`;
}

/**
 * The queue a QueueUrl names: its path's last two segments are account and name, whatever the host
 * (LocalStack-style `/queue/<region>/<account>/<name>` works too); the region is the request's. A bare
 * queue name (no '/') means the caller's own account.
 */
export function parseQueueUrl(url: string, account: string, region: string): QueueId | undefined {
  if (!url.includes('/')) return url ? { account, region, name: url } : undefined;
  let path = url;
  const scheme = path.indexOf('://');
  if (scheme >= 0) {
    const slash = path.indexOf('/', scheme + 3);
    if (slash < 0) return undefined;
    path = path.slice(slash);
  }
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  const segments = path.split('/').filter(Boolean);
  if (segments.length < 2) return undefined;
  return { account: segments[segments.length - 2], region, name: segments[segments.length - 1] };
}

/** The parsed, typed view of a queue's attributes that sending and receiving need. */
export interface QueueSettings {
  readonly visibilityTimeoutMs: number;
  readonly delayMs: number;
  readonly maximumMessageSize: number;
  readonly retentionMs: number;
  readonly waitTimeSeconds: number;
  readonly contentBasedDeduplication: boolean;
  readonly redrive?: { readonly deadLetterQueue: QueueId; readonly deadLetterArn: string; readonly maxReceiveCount: number };
}

// Records are immutable, so their parsed settings can be remembered per record object.
const settingsCache = new WeakMap<QueueRecord, QueueSettings>();

export function settingsOf(queue: QueueRecord): QueueSettings {
  let s = settingsCache.get(queue);
  if (!s) {
    s = parseSettings(queue.attributes);
    settingsCache.set(queue, s);
  }
  return s;
}

function parseSettings(a: Readonly<Record<string, string>>): QueueSettings {
  let redrive: QueueSettings['redrive'];
  if (a.RedrivePolicy) {
    const policy = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
    const deadLetterQueue = parseQueueArn(policy.deadLetterTargetArn);
    if (deadLetterQueue) {
      redrive = { deadLetterQueue, deadLetterArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) };
    }
  }
  return {
    visibilityTimeoutMs: Number(a.VisibilityTimeout) * 1000,
    delayMs: Number(a.DelaySeconds) * 1000,
    maximumMessageSize: Number(a.MaximumMessageSize),
    retentionMs: Number(a.MessageRetentionPeriod) * 1000,
    waitTimeSeconds: Number(a.ReceiveMessageWaitTimeSeconds),
    contentBasedDeduplication: a.ContentBasedDeduplication === 'true',
    redrive,
  };
}

/** FIFO SequenceNumber: a 20-digit decimal made from a counter that only grows. */
export function formatSequenceNumber(n: number): string {
  return `1${String(n).padStart(19, '0')}`;
}

export function parseSequenceNumber(sequenceNumber: string): number {
  return Number(sequenceNumber.slice(1));
}
