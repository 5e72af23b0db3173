/**
 * THE SQS repository interface. Every method is one atomic state transition with the SQS semantics
 * inside it (never a get-then-put pair), so the Redis backend can implement each as one Lua script or
 * MULTI/EXEC and N service replicas can share it. Time is always passed in (`now`, epoch ms from the
 * shared clock); a store never reads a clock and never arms a timer per message: it stores instants
 * (visibleAt, enqueuedAt, deadlines) and compares them with `now`.
 *
 * Identifiers and randomness come from the caller too (message ids, task ids), so a backend stays
 * deterministic. A method acting on one queue throws QueueMissingError when that queue does not exist
 * (it may have been deleted since the caller looked it up); the service turns that into AWS's
 * QueueDoesNotExist.
 */

/** A queue's address: all SQS state is keyed by account and region. */
export interface QueueId {
  readonly account: string;
  readonly region: string;
  readonly name: string;
}

/** A queue's configuration and metadata, as stored. Treat as immutable: changes produce a new record. */
export interface QueueRecord {
  readonly id: QueueId;
  readonly arn: string;
  /** Fixed at creation. */
  readonly fifo: boolean;
  /**
   * FIFO deduplication scope in force. AWS keeps the scope the queue was created with even when
   * SetQueueAttributes later changes the reported DeduplicationScope, so this is fixed at creation.
   */
  readonly dedupPerGroup: boolean;
  /** Epoch seconds. */
  readonly createdAt: number;
  /** Epoch seconds of the last SetQueueAttributes. */
  readonly lastModifiedAt: number;
  /**
   * Settable attributes exactly as GetQueueAttributes reports them (defaults included, booleans
   * lower-case): DelaySeconds, VisibilityTimeout, RedrivePolicy, FifoQueue, ... Never the computed ones
   * (ApproximateNumberOf*, CreatedTimestamp, LastModifiedTimestamp, QueueArn).
   */
  readonly attributes: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Epoch ms of the last accepted PurgeQueue. */
  readonly lastPurgedAt?: number;
}

/** One message attribute as the API carries it (BinaryValue base64-encoded). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

/** What a message carries for its whole life. Immutable; moving to another queue makes a new one. */
export interface MessageContent {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes?: MessageAttributes;
  readonly md5OfAttributes?: string;
  /** The AWSTraceHeader message system attribute. */
  readonly traceHeader?: string;
  readonly senderId: string;
  /** SentTimestamp, epoch ms. Kept when the message moves to a dead-letter queue. */
  readonly sentAt: number;
  readonly groupId?: string;
  readonly dedupId?: string;
  /** FIFO only: 20-digit decimal, never reused, increasing in the order messages are enqueued. */
  readonly sequenceNumber?: string;
  /** Set when the message was moved to a dead-letter queue: the queue it came from. */
  readonly deadLetterSourceArn?: string;
}

/** A message for `send`: content minus what the queue assigns, plus its delay. */
export interface NewMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes?: MessageAttributes;
  readonly md5OfAttributes?: string;
  readonly traceHeader?: string;
  readonly senderId: string;
  readonly groupId?: string;
  /** FIFO only: the explicit MessageDeduplicationId, or the SHA-256 of the body (content-based). */
  readonly dedupId?: string;
  /** Standard queues: per-message delay, else the queue's. FIFO queues: always the queue's. */
  readonly delayMs: number;
}

export interface SendOutcome {
  /** The new message's id, or for a FIFO duplicate the id of the message it duplicates. */
  readonly messageId: string;
  readonly sequenceNumber?: string;
  /** FIFO: accepted but not enqueued, because its deduplication id was seen within 5 minutes. */
  readonly duplicate: boolean;
}

export interface ReceiveRequest {
  /** 1..10 */
  readonly max: number;
  readonly visibilityTimeoutMs: number;
  readonly now: number;
}

/** One delivery: the message and the state this receive left it in. */
export interface Received {
  readonly content: MessageContent;
  /** Distinguishes this delivery from every other delivery of any message in the queue. */
  readonly receipt: number;
  readonly receiveCount: number;
  /** ApproximateFirstReceiveTimestamp, epoch ms. */
  readonly firstReceivedAt: number;
}

export interface ReceiveResult {
  readonly messages: Received[];
  /** Set when this receive moved messages to the queue's dead-letter queue (so its waiters can wake). */
  readonly deadLetterQueue?: QueueId;
}

/** What a receipt handle names inside its queue. */
export interface ReceiptRef {
  readonly messageId: string;
  readonly receipt: number;
}

/**
 * - `done`: deleted, or visibility changed.
 * - `gone`: no such message (already deleted, expired, moved, purged).
 * - `expired`: FIFO only: the handle's visibility timeout ended, or the message was received again since.
 * - `tooLong`: the new visibility would end more than 12 hours after the message was received.
 */
export type HandleOutcome = 'done' | 'gone' | 'expired' | 'tooLong';

export interface VisibilityChange {
  readonly ref: ReceiptRef;
  readonly visibilityTimeoutMs: number;
}

export interface MessageCounts {
  /** ApproximateNumberOfMessages: receivable now (a FIFO message behind an in-flight one still counts). */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received and within their visibility timeout. */
  readonly notVisible: number;
  /** ApproximateNumberOfMessagesDelayed: never received and not yet visible. */
  readonly delayed: number;
}

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

/** A StartMessageMoveTask task. Treat as immutable. */
export interface MoveTaskRecord {
  readonly taskId: string;
  /** Account and region of the source queue (reset and listing are scoped by them). */
  readonly account: string;
  readonly region: string;
  readonly sourceArn: string;
  /** Absent: every message goes back to its DeadLetterQueueSourceArn. */
  readonly destinationArn?: string;
  readonly maxPerSecond?: number;
  readonly status: MoveTaskStatus;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly moved: number;
  /** Messages receivable in the source when the task started: the most it will move. */
  readonly toMove: number;
  /** An AWS error code, e.g. AWS.SimpleQueueService.NonExistentQueue. */
  readonly failureReason?: string;
}

export interface MoveTaskProgress {
  readonly task: MoveTaskRecord;
  /** Queues that received messages in this step. */
  readonly destinations: QueueId[];
}

/** The picture `/_stratus/state` shows. */
export interface SqsDump {
  queues: QueueDump[];
  moveTasks: MoveTaskRecord[];
}

export interface QueueDump {
  account: string;
  region: string;
  name: string;
  arn: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  counts: MessageCounts;
  inFlight: InFlightDump[];
}

export interface InFlightDump {
  messageId: string;
  groupId?: string;
  receiveCount: number;
  /** ISO-8601 instant the visibility timeout ends. */
  visibleAt: string;
}

/** Thrown by queue-scoped methods when the queue does not exist. */
export class QueueMissingError extends Error {
  constructor(readonly queue: QueueId) {
    super(`queue ${queue.account}/${queue.region}/${queue.name} does not exist`);
    this.name = 'QueueMissingError';
  }
}

export interface SqsStore {
  // ---- queues ----

  /** Atomic create-if-absent. `created` false: a queue of that name exists; `queue` is it, unchanged. */
  createQueue(record: QueueRecord): Promise<{ created: boolean; queue: QueueRecord }>;

  getQueue(id: QueueId): Promise<QueueRecord | undefined>;

  /**
   * Atomically merges attribute changes (a null value removes the attribute) and sets lastModifiedAt.
   * Returns the new record. Throws QueueMissingError.
   */
  setAttributes(id: QueueId, changes: Readonly<Record<string, string | null>>, nowSeconds: number): Promise<QueueRecord>;

  /** Atomically adds or overwrites tags (`set`) and removes tag keys (`remove`). Throws QueueMissingError. */
  updateTags(id: QueueId, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<QueueRecord>;

  /** Removes the queue with its messages and deduplication history. False when it did not exist. */
  deleteQueue(id: QueueId): Promise<boolean>;

  /** Names of the account's queues in the region, sorted, optionally only those starting with prefix. */
  listQueues(account: string, region: string, prefix?: string): Promise<string[]>;

  /** Names of the queues (same account and region) whose RedrivePolicy targets `deadLetterArn`, sorted. */
  listDeadLetterSourceQueues(account: string, region: string, deadLetterArn: string): Promise<string[]>;

  // ---- messages (each method is atomic for all of its arguments) ----

  /**
   * Enqueues the messages in order, each visible at now + delayMs. FIFO queues: a message whose
   * deduplication key (its dedupId, prefixed by its group when record.dedupPerGroup) was enqueued
   * within the last 5 minutes, including earlier in the same call or since deleted or purged-before,
   * is a duplicate: not enqueued, reported with the original's id and sequence number. Otherwise the
   * key is remembered for 5 minutes and the message gets the next sequence number.
   * Throws QueueMissingError.
   */
  send(id: QueueId, messages: readonly NewMessage[], now: number): Promise<SendOutcome[]>;

  /**
   * Takes up to `max` receivable messages and makes each invisible until now + visibilityTimeoutMs,
   * incrementing its receive count, setting its first-receive time once and giving it a new receipt.
   * Order: the message (standard) or message group (FIFO) that became visible earliest comes first; at
   * the same instant, the one whose visibility was set first (by its send, receive or visibility
   * change), so a message released with VisibilityTimeout 0 goes behind those already waiting even on a
   * frozen clock. FIFO: a group is receivable when its oldest message is visible; its messages are taken
   * oldest first, stopping at the first one that is not visible (in flight or delayed), before the next
   * group is considered. A message past the queue's MessageRetentionPeriod (counted from enqueuedAt)
   * is dropped instead. A message whose receive count already reached the RedrivePolicy's
   * maxReceiveCount moves to the dead-letter queue instead (when that queue exists): same id and
   * content plus DeadLetterQueueSourceArn, visible at once, receive count and first-receive time kept;
   * a standard message keeps its enqueue time, a FIFO one gets now and a new sequence number there.
   * Throws QueueMissingError.
   */
  receive(id: QueueId, request: ReceiveRequest): Promise<ReceiveResult>;

  /**
   * Deletes the messages the receipts name. A receipt of a message that no longer exists is `gone`
   * (success for DeleteMessage). Standard queues delete with any receipt of an existing message. FIFO
   * queues answer `expired` when the message is visible again or was received again since that receipt.
   * Throws QueueMissingError.
   */
  deleteMessages(id: QueueId, refs: readonly ReceiptRef[], now: number): Promise<HandleOutcome[]>;

  /**
   * Sets each named message visible at now + visibilityTimeoutMs (0: visible now), whether or not its
   * previous visibility timeout has already ended. `tooLong` when that instant would be more than
   * 12 hours after the message's latest receive. Receipt rules as in deleteMessages.
   * Throws QueueMissingError.
   */
  changeVisibility(id: QueueId, changes: readonly VisibilityChange[], now: number): Promise<HandleOutcome[]>;

  /** Message counts at `now` (messages past retention excluded). Throws QueueMissingError. */
  counts(id: QueueId, now: number): Promise<MessageCounts>;

  /**
   * The earliest instant at which a message (standard) or message group (FIFO) becomes receivable: a
   * delay or a visibility timeout ending. Long polls sleep until then. At or before `now` when something
   * is receivable already; undefined when the queue holds nothing that could become receivable.
   * Throws QueueMissingError.
   */
  nextVisibleAt(id: QueueId, now: number): Promise<number | undefined>;

  /**
   * Deletes every message and forgets FIFO deduplication history, unless the previous purge was less
   * than 60 s ago (then nothing changes and the answer is `inProgress`). Throws QueueMissingError.
   */
  purge(id: QueueId, now: number): Promise<'purged' | 'inProgress'>;

  // ---- message move tasks ----

  /**
   * Records a RUNNING task unless the source already has a RUNNING one (`alreadyRunning`). Sets toMove
   * to the number of receivable messages in the source at `task.startedAt`. Returns the stored task.
   */
  startMoveTask(task: Omit<MoveTaskRecord, 'toMove' | 'moved' | 'status'>): Promise<MoveTaskRecord | 'alreadyRunning'>;

  /**
   * Moves what a RUNNING task owes by `now`: everything at once without maxPerSecond, else
   * floor((now - startedAt) * maxPerSecond / 1000) + 1 messages in total, never more than toMove.
   * Moves receivable messages in arrival order to the destination (or each to its
   * DeadLetterQueueSourceArn, skipping messages without one), as new arrivals there: same id and
   * content without DeadLetterQueueSourceArn, receive count reset, visible at once. COMPLETED when toMove
   * is reached or nothing movable is left; FAILED (reason AWS.SimpleQueueService.NonExistentQueue) when
   * the source or a destination queue is gone. A task that is not RUNNING is returned unchanged;
   * undefined when there is no such task.
   */
  advanceMoveTask(taskId: string, now: number): Promise<MoveTaskProgress | undefined>;

  /** Marks a RUNNING task CANCELLED and returns it; a task that is not RUNNING is returned unchanged. */
  cancelMoveTask(taskId: string): Promise<MoveTaskRecord | undefined>;

  getMoveTask(taskId: string): Promise<MoveTaskRecord | undefined>;

  /** Tasks of a source queue, most recently started first. */
  listMoveTasks(sourceArn: string): Promise<MoveTaskRecord[]>;

  /** Ids of every RUNNING task (a restarted service resumes them). */
  runningMoveTasks(): Promise<string[]>;

  // ---- administration ----

  dump(now: number): Promise<SqsDump>;

  /** Forgets everything, or every queue and move task of one account. */
  reset(account?: string): Promise<void>;

  close(): Promise<void>;
}
