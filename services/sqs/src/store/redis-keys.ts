/**
 * The Redis key scheme of the SQS store. Everything lives under `sqs:`; a queue is named by its
 * queueKey `<account>/<region>/<name>` (no hash tags: the store targets one Redis, not a cluster).
 *
 * Per queue, in this order (the scripts address them as one block of KEYS, see redis-scripts.ts):
 *   q  hash    the record's scalar fields (arn, fifo, dpg, created, modified, purged) and the
 *              counters vseq (visibility order) and rcpt (receipts); its existence is the queue's existence
 *   a  hash    attributes
 *   t  hash    tags
 *   m  hash    message id -> content JSON (immutable)
 *   s  hash    message id -> msgpack state (seq, vseq, enqueuedAt, visibleAt, receiveCount, receipt,
 *              firstReceivedAt, receivedAt, group, deadLetterSourceArn)
 *   v  zset    every message by visibleAt; member <vseq:16 digits><id>, so ties go to the message whose
 *              visibility was set first
 *   e  zset    message id by enqueuedAt (retention)
 *   d  zset    message id by visibleAt, for messages never received (the delayed count)
 *   o  zset    FIFO: every message, lexically by <group>\0<seq:16><id> (each group in arrival order)
 *   g  zset    FIFO: each group's oldest message by its visibleAt; member <its vseq:16><group>
 *   dd hash    FIFO deduplication key -> msgpack (expiresAt, message id, seq)
 *   dx zset    FIFO deduplication key by expiresAt
 *
 * Global: `sqs:sequence` (the store-wide arrival counter: a message's seq, which is also its FIFO
 * SequenceNumber, so those never repeat across queues), `sqs:queues` (every queueKey, lexically: listing
 * and reset), and move tasks: `sqs:task:<id>` (hash of the record's fields), `sqs:tasks` (set of ids),
 * `sqs:tasks-of:<sourceArn>` (zset of ids by startedAt), `sqs:tasks-running` (set of ids).
 */

const QUEUE_PARTS = ['q', 'a', 't', 'm', 's', 'v', 'e', 'd', 'o', 'g', 'dd', 'dx'] as const;

/** How many KEYS one queue takes in a script call. */
export const QUEUE_KEY_COUNT = QUEUE_PARTS.length;

export const SEQUENCE = 'sqs:sequence';
export const QUEUES_INDEX = 'sqs:queues';
export const TASKS = 'sqs:tasks';
export const RUNNING_TASKS = 'sqs:tasks-running';
export const ALL_KEYS_PATTERN = 'sqs:*';

/** The key block of one queue, in the order the scripts expect. */
export function queueKeys(queueKey: string): string[] {
  return QUEUE_PARTS.map((part) => `sqs:${part}:${queueKey}`);
}

export function attributesKey(queueKey: string): string {
  return `sqs:a:${queueKey}`;
}

export function taskKey(taskId: string): string {
  return `sqs:task:${taskId}`;
}

export function tasksOfKey(sourceArn: string): string {
  return `sqs:tasks-of:${sourceArn}`;
}

