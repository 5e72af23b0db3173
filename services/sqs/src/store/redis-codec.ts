import { formatSequenceNumber, parseQueueArn } from '../model.js';
import type { MessageContent, MoveTaskRecord, MoveTaskStatus, NewMessage, QueueId, QueueRecord } from './types.js';

// How records, message contents and move tasks are written to and read from Redis (see redis-keys.ts).

/** A hash as HGETALL returns it inside a script reply: [field, value, field, value, ...]. */
export type FlatHash = string[];

/** What the getQueue-style scripts return: the q, a and t hashes of one queue. */
export type QueueReply = [FlatHash, FlatHash, FlatHash];

export function toObject(flat: FlatHash): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

export function toPairs(hash: Readonly<Record<string, string | number>>): (string | number)[] {
  return Object.entries(hash).flat();
}

/** The scalar fields of a record, as stored in its q hash. */
export function recordFields(record: QueueRecord): Record<string, string | number> {
  const fields: Record<string, string | number> = {
    arn: record.arn,
    fifo: record.fifo ? 1 : 0,
    dpg: record.dedupPerGroup ? 1 : 0,
    created: record.createdAt,
    modified: record.lastModifiedAt,
  };
  if (record.lastPurgedAt !== undefined) fields.purged = record.lastPurgedAt;
  return fields;
}

export function decodeQueue(id: QueueId, [q, a, t]: QueueReply): QueueRecord {
  const fields = toObject(q);
  const record: QueueRecord = {
    id,
    arn: fields.arn,
    fifo: fields.fifo === '1',
    dedupPerGroup: fields.dpg === '1',
    createdAt: Number(fields.created),
    lastModifiedAt: Number(fields.modified),
    attributes: toObject(a),
    tags: toObject(t),
  };
  return fields.purged === undefined ? record : { ...record, lastPurgedAt: Number(fields.purged) };
}

/** The immutable part of a message as stored: its content minus what depends on the queue it is in. */
type StoredContent = Omit<MessageContent, 'sequenceNumber' | 'deadLetterSourceArn'>;

export function encodeContent(m: NewMessage, sentAt: number): string {
  const content: StoredContent = {
    id: m.id,
    body: m.body,
    md5OfBody: m.md5OfBody,
    attributes: m.attributes,
    md5OfAttributes: m.md5OfAttributes,
    traceHeader: m.traceHeader,
    senderId: m.senderId,
    sentAt,
    groupId: m.groupId,
    dedupId: m.dedupId,
  };
  return JSON.stringify(content);
}

/** A stored content plus its place in the queue: FIFO sequence number, dead-letter source. */
export function decodeContent(json: string, seq: number, fifo: boolean, deadLetterSourceArn: string): MessageContent {
  const content = JSON.parse(json) as MessageContent & { sequenceNumber?: string; deadLetterSourceArn?: string };
  if (fifo) content.sequenceNumber = formatSequenceNumber(seq);
  if (deadLetterSourceArn) content.deadLetterSourceArn = deadLetterSourceArn;
  return content;
}

/** The fields of a new task's hash other than taskId, startedAt and the progress ones. */
export function taskFields(task: Omit<MoveTaskRecord, 'toMove' | 'moved' | 'status'>): Record<string, string | number> {
  const fields: Record<string, string | number> = { account: task.account, region: task.region, sourceArn: task.sourceArn };
  if (task.destinationArn !== undefined) fields.destinationArn = task.destinationArn;
  if (task.maxPerSecond !== undefined) fields.maxPerSecond = task.maxPerSecond;
  return fields;
}

export function decodeTask(f: Readonly<Record<string, string>>): MoveTaskRecord {
  const task: MoveTaskRecord = {
    taskId: f.taskId,
    account: f.account,
    region: f.region,
    sourceArn: f.sourceArn,
    status: f.status as MoveTaskStatus,
    startedAt: Number(f.startedAt),
    moved: Number(f.moved),
    toMove: Number(f.toMove),
  };
  return {
    ...task,
    ...(f.destinationArn !== undefined && { destinationArn: f.destinationArn }),
    ...(f.maxPerSecond !== undefined && { maxPerSecond: Number(f.maxPerSecond) }),
    ...(f.failureReason !== undefined && { failureReason: f.failureReason }),
  };
}

/** A queue's RedrivePolicy as receive needs it. */
export interface Redrive {
  /** The attribute as stored, '' when none: receive passes it so the script can confirm it is current. */
  readonly policy: string;
  /** Absent when the policy moves nothing (no parsable target, or the target is the queue itself). */
  readonly deadLetterQueue?: QueueId;
  readonly maxReceiveCount?: number;
}

export const NO_REDRIVE: Redrive = { policy: '' };

/** The dead-letter target a RedrivePolicy names, if it parses. */
export function redriveTarget(policy: string | null | undefined): { queue: QueueId; maxReceiveCount: number } | undefined {
  if (!policy) return undefined;
  try {
    const doc = JSON.parse(policy) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    const queue = typeof doc.deadLetterTargetArn === 'string' ? parseQueueArn(doc.deadLetterTargetArn) : undefined;
    return queue && { queue, maxReceiveCount: Number(doc.maxReceiveCount) };
  } catch {
    return undefined;
  }
}
