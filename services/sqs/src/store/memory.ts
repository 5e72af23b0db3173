import { join } from 'node:path';
import { DEDUP_WINDOW_MS, MAX_VISIBILITY_SECONDS, PURGE_INTERVAL_MS, formatSequenceNumber, parseQueueArn, queueKey, sameQueue, settingsOf } from '../model.js';
import { Journal } from '@stratus/shared/journal';
import { MemoryState, type MessageRecord, type Mutation, type QueueState, type Slot } from './memory-state.js';
import {
  QueueMissingError,
  type HandleOutcome,
  type MessageContent,
  type MessageCounts,
  type MoveTaskProgress,
  type MoveTaskRecord,
  type NewMessage,
  type QueueId,
  type QueueRecord,
  type ReceiptRef,
  type ReceiveRequest,
  type ReceiveResult,
  type Received,
  type SendOutcome,
  type SqsDump,
  type SqsStore,
  type VisibilityChange,
} from './types.js';

/** By default the journal is compacted into a snapshot once it grows past this. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * The SqsStore of one process: state in memory, and when given a data directory, every change
 * journaled before the method returns (see journal.ts). Methods decide what changes by reading the
 * state, then apply those changes as Mutation records through MemoryState.apply, which is also what
 * replays the journal at start: one mutation path.
 */
export class MemoryStore implements SqsStore {
  private state = new MemoryState();
  private pending: Mutation[] = [];

  private constructor(
    private readonly journal?: Journal,
    private readonly compactAfterBytes = COMPACT_AFTER_BYTES,
  ) {}

  /** A memory store, durable in `<dataDir>/sqs/` when dataDir is given. */
  static open(dataDir?: string, compactAfterBytes?: number): MemoryStore {
    if (!dataDir) return new MemoryStore();
    const { journal, records } = Journal.open(join(dataDir, 'sqs'), 'state');
    const store = new MemoryStore(journal, compactAfterBytes);
    for (const r of records) store.state.apply(r as Mutation);
    return store;
  }

  // ---- queues ----

  async createQueue(record: QueueRecord): Promise<{ created: boolean; queue: QueueRecord }> {
    const existing = this.state.queues.get(queueKey(record.id));
    if (existing) return { created: false, queue: existing.record };
    this.commit({ t: 'queue', queue: record });
    this.flush();
    return { created: true, queue: record };
  }

  async getQueue(id: QueueId): Promise<QueueRecord | undefined> {
    return this.state.queues.get(queueKey(id))?.record;
  }

  async setAttributes(id: QueueId, changes: Readonly<Record<string, string | null>>, nowSeconds: number): Promise<QueueRecord> {
    const q = this.require(id);
    const attributes: Record<string, string> = { ...q.record.attributes };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete attributes[name];
      else attributes[name] = value;
    }
    const queue: QueueRecord = { ...q.record, attributes, lastModifiedAt: nowSeconds };
    this.commit({ t: 'queue', queue });
    this.flush();
    return queue;
  }

  async updateTags(id: QueueId, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<QueueRecord> {
    const q = this.require(id);
    const tags: Record<string, string> = { ...q.record.tags, ...set };
    for (const key of remove) delete tags[key];
    const queue: QueueRecord = { ...q.record, tags };
    this.commit({ t: 'queue', queue });
    this.flush();
    return queue;
  }

  async deleteQueue(id: QueueId): Promise<boolean> {
    const key = queueKey(id);
    if (!this.state.queues.has(key)) return false;
    this.commit({ t: 'queue-', q: key });
    this.flush();
    return true;
  }

  async listQueues(account: string, region: string, prefix = ''): Promise<string[]> {
    const names: string[] = [];
    for (const q of this.state.queues.values()) {
      const id = q.record.id;
      if (id.account === account && id.region === region && id.name.startsWith(prefix)) names.push(id.name);
    }
    return names.sort();
  }

  async listDeadLetterSourceQueues(account: string, region: string, deadLetterArn: string): Promise<string[]> {
    const target = parseQueueArn(deadLetterArn);
    const names: string[] = [];
    if (!target) return names;
    for (const q of this.state.queues.values()) {
      const id = q.record.id;
      const redrive = settingsOf(q.record).redrive;
      if (id.account === account && id.region === region && redrive && sameQueue(redrive.deadLetterQueue, target)) names.push(id.name);
    }
    return names.sort();
  }

  // ---- messages ----

  async send(id: QueueId, messages: readonly NewMessage[], now: number): Promise<SendOutcome[]> {
    const q = this.require(id);
    const fifo = q.fifo;
    if (fifo) dropExpiredDedup(q, now);
    const outcomes: SendOutcome[] = [];
    for (const m of messages) {
      let dedupKey = '';
      if (fifo) {
        dedupKey = q.record.dedupPerGroup ? `${m.groupId}\u0000${m.dedupId}` : (m.dedupId as string);
        const seen = q.dedup.get(dedupKey);
        if (seen && seen.expiresAt > now) {
          outcomes.push({ messageId: seen.messageId, sequenceNumber: seen.sequenceNumber, duplicate: true });
          continue;
        }
      }
      const seq = q.nextSeq++;
      const sequenceNumber = fifo ? formatSequenceNumber(this.state.nextSequence++) : undefined;
      const content: MessageContent = {
        id: m.id,
        body: m.body,
        md5OfBody: m.md5OfBody,
        attributes: m.attributes,
        md5OfAttributes: m.md5OfAttributes,
        traceHeader: m.traceHeader,
        senderId: m.senderId,
        sentAt: now,
        groupId: m.groupId,
        dedupId: fifo ? m.dedupId : undefined,
        sequenceNumber,
      };
      const message: MessageRecord = { content, seq, vseq: q.nextVseq++, enqueuedAt: now, visibleAt: now + m.delayMs, receiveCount: 0, receipt: 0 };
      this.commit({ t: 'msg', q: q.key, m: message });
      if (fifo) this.commit({ t: 'dedup', q: q.key, key: dedupKey, messageId: m.id, sequenceNumber, expiresAt: now + DEDUP_WINDOW_MS });
      outcomes.push({ messageId: m.id, sequenceNumber, duplicate: false });
    }
    this.flush();
    return outcomes;
  }

  async receive(id: QueueId, request: ReceiveRequest): Promise<ReceiveResult> {
    const q = this.require(id);
    const { max, now } = request;
    const settings = settingsOf(q.record);
    const redrive = settings.redrive;
    const found = redrive ? this.state.queues.get(queueKey(redrive.deadLetterQueue)) : undefined;
    // A RedrivePolicy whose queue is gone (or is this queue) leaves messages where they are.
    const deadLetter = found !== q ? found : undefined;
    const taken: Received[] = [];
    // Decided first, applied after: a message received with VisibilityTimeout 0 must not come round again in this call.
    const changes: Mutation[] = [];
    let movedToDeadLetter = false;

    /** Takes, drops or dead-letters one visible message. */
    const consider = (slot: Slot): void => {
      const rec = slot.rec;
      if (now >= rec.enqueuedAt + settings.retentionMs) {
        changes.push({ t: 'msg-', q: q.key, id: rec.content.id });
      } else if (deadLetter && redrive && rec.receiveCount >= redrive.maxReceiveCount) {
        changes.push({ t: 'msg-', q: q.key, id: rec.content.id });
        changes.push({ t: 'msg', q: deadLetter.key, m: deadLettered(rec, q, deadLetter, this.state, now) });
        movedToDeadLetter = true;
      } else {
        const receipt = ++q.receipts;
        const visibleAt = now + request.visibilityTimeoutMs;
        changes.push({ t: 'recv', q: q.key, id: rec.content.id, at: now, visibleAt, vseq: q.nextVseq++, receipt });
        taken.push({ content: rec.content, receipt, receiveCount: rec.receiveCount + 1, firstReceivedAt: rec.firstReceivedAt ?? now });
      }
    };

    if (!q.fifo) {
      while (taken.length < max) {
        const e = q.peekReady();
        if (!e || e.at > now) break;
        q.ready.pop();
        consider(e.slot);
      }
    } else {
      while (taken.length < max) {
        const e = q.peekReadyGroup();
        if (!e || e.at > now) break;
        q.readyGroups.pop();
        const group = e.group;
        for (let i = group.head; i < group.slots.length && taken.length < max; i++) {
          const slot = group.slots[i];
          if (slot.deleted) continue;
          // Retention applies even to a message that is not visible; otherwise an invisible one blocks the rest.
          if (slot.rec.visibleAt > now && now < slot.rec.enqueuedAt + settings.retentionMs) break;
          consider(slot);
        }
      }
    }
    for (const c of changes) this.commit(c);
    this.flush();
    return movedToDeadLetter && deadLetter ? { messages: taken, deadLetterQueue: deadLetter.record.id } : { messages: taken };
  }

  async deleteMessages(id: QueueId, refs: readonly ReceiptRef[], now: number): Promise<HandleOutcome[]> {
    const q = this.require(id);
    const outcomes = refs.map((ref): HandleOutcome => {
      const slot = q.messages.get(ref.messageId);
      if (!slot) return 'gone';
      if (q.fifo && !holds(slot, ref, now)) return 'expired';
      this.commit({ t: 'msg-', q: q.key, id: ref.messageId });
      return 'done';
    });
    this.flush();
    return outcomes;
  }

  async changeVisibility(id: QueueId, changes: readonly VisibilityChange[], now: number): Promise<HandleOutcome[]> {
    const q = this.require(id);
    const outcomes = changes.map(({ ref, visibilityTimeoutMs }): HandleOutcome => {
      const slot = q.messages.get(ref.messageId);
      if (!slot) return 'gone';
      if (q.fifo && !holds(slot, ref, now)) return 'expired';
      const visibleAt = now + visibilityTimeoutMs;
      if (visibleAt - (slot.rec.receivedAt ?? now) > MAX_VISIBILITY_SECONDS * 1000) return 'tooLong';
      this.commit({ t: 'vis', q: q.key, id: ref.messageId, visibleAt, vseq: q.nextVseq++ });
      return 'done';
    });
    this.flush();
    return outcomes;
  }

  async counts(id: QueueId, now: number): Promise<MessageCounts> {
    return countsOf(this.require(id), now);
  }

  async nextVisibleAt(id: QueueId): Promise<number | undefined> {
    const q = this.require(id);
    return (q.fifo ? q.peekReadyGroup() : q.peekReady())?.at;
  }

  async purge(id: QueueId, now: number): Promise<'purged' | 'inProgress'> {
    const q = this.require(id);
    const last = q.record.lastPurgedAt;
    if (last !== undefined && now - last < PURGE_INTERVAL_MS) return 'inProgress';
    this.commit({ t: 'queue', queue: { ...q.record, lastPurgedAt: now } });
    this.commit({ t: 'clear', q: q.key });
    this.flush();
    return 'purged';
  }

  // ---- message move tasks ----

  async startMoveTask(task: Omit<MoveTaskRecord, 'toMove' | 'moved' | 'status'>): Promise<MoveTaskRecord | 'alreadyRunning'> {
    for (const t of this.state.tasks.values()) {
      if (t.sourceArn === task.sourceArn && t.status === 'RUNNING') return 'alreadyRunning';
    }
    const source = this.queueByArn(task.sourceArn);
    if (!source) throw new QueueMissingError(parseQueueArn(task.sourceArn) ?? { account: task.account, region: task.region, name: task.sourceArn });
    const toMove = countsOf(source, task.startedAt).visible;
    const started: MoveTaskRecord = { ...task, status: 'RUNNING', moved: 0, toMove };
    this.commit({ t: 'task', task: started });
    this.flush();
    return started;
  }

  async advanceMoveTask(taskId: string, now: number): Promise<MoveTaskProgress | undefined> {
    const task = this.state.tasks.get(taskId);
    if (!task) return undefined;
    if (task.status !== 'RUNNING') return { task, destinations: [] };
    const source = this.queueByArn(task.sourceArn);
    if (!source) return this.finishTask(task, task.moved, 'FAILED', []);

    const owed = task.maxPerSecond
      ? Math.min(task.toMove, Math.floor(((now - task.startedAt) * task.maxPerSecond) / 1000) + 1)
      : task.toMove;
    const retentionMs = settingsOf(source.record).retentionMs;
    const moves: Array<[Slot, QueueState]> = [];
    let failed = false;
    let moreLeft = false;
    for (const slot of source.messages.values()) {
      const rec = slot.rec;
      if (rec.visibleAt > now || now >= rec.enqueuedAt + retentionMs) continue;
      const destinationArn = task.destinationArn ?? rec.content.deadLetterSourceArn;
      if (!destinationArn) continue;
      if (task.moved + moves.length >= owed) {
        moreLeft = true;
        break;
      }
      const destination = this.queueByArn(destinationArn);
      if (!destination) {
        failed = true;
        break;
      }
      moves.push([slot, destination]);
    }
    const destinations: QueueId[] = [];
    for (const [slot, destination] of moves) {
      this.commit({ t: 'msg-', q: source.key, id: slot.rec.content.id });
      this.commit({ t: 'msg', q: destination.key, m: redriven(slot.rec, destination, this.state, now) });
      if (!destinations.some((d) => sameQueue(d, destination.record.id))) destinations.push(destination.record.id);
    }
    const moved = task.moved + moves.length;
    const status = failed ? 'FAILED' : moved >= task.toMove || !moreLeft ? 'COMPLETED' : 'RUNNING';
    if (status === 'RUNNING') {
      if (moves.length > 0) this.commit({ t: 'task', task: { ...task, moved } });
      this.flush();
      return { task: this.state.tasks.get(taskId)!, destinations };
    }
    return this.finishTask(task, moved, status, destinations);
  }

  async cancelMoveTask(taskId: string): Promise<MoveTaskRecord | undefined> {
    const task = this.state.tasks.get(taskId);
    if (!task || task.status !== 'RUNNING') return task;
    const cancelled: MoveTaskRecord = { ...task, status: 'CANCELLED' };
    this.commit({ t: 'task', task: cancelled });
    this.flush();
    return cancelled;
  }

  async getMoveTask(taskId: string): Promise<MoveTaskRecord | undefined> {
    return this.state.tasks.get(taskId);
  }

  async listMoveTasks(sourceArn: string): Promise<MoveTaskRecord[]> {
    return [...this.state.tasks.values()].filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedAt - a.startedAt);
  }

  async runningMoveTasks(): Promise<string[]> {
    return [...this.state.tasks.values()].filter((t) => t.status === 'RUNNING').map((t) => t.taskId);
  }

  // ---- administration ----

  async dump(now: number): Promise<SqsDump> {
    const queues = [];
    for (const q of this.state.queues.values()) {
      const { id, arn, fifo, attributes, tags } = q.record;
      const inFlight = [];
      for (const { rec } of q.messages.values()) {
        if (rec.receiveCount > 0 && rec.visibleAt > now) {
          inFlight.push({
            messageId: rec.content.id,
            groupId: rec.content.groupId,
            receiveCount: rec.receiveCount,
            visibleAt: new Date(rec.visibleAt).toISOString(),
          });
        }
      }
      queues.push({ ...id, arn, fifo, attributes: { ...attributes }, tags: { ...tags }, counts: countsOf(q, now), inFlight });
    }
    return { queues, moveTasks: [...this.state.tasks.values()] };
  }

  async reset(account?: string): Promise<void> {
    if (account === undefined) {
      this.state = new MemoryState();
      this.journal?.compact([]);
      return;
    }
    for (const q of [...this.state.queues.values()]) {
      if (q.record.id.account === account) this.commit({ t: 'queue-', q: q.key });
    }
    for (const t of [...this.state.tasks.values()]) {
      if (t.account === account) this.commit({ t: 'task-', id: t.taskId });
    }
    this.flush();
  }

  async close(): Promise<void> {
    if (!this.journal) return;
    this.journal.compact(this.state.snapshot());
    this.journal.close();
  }

  // ---- internals ----

  private require(id: QueueId): QueueState {
    const q = this.state.queues.get(queueKey(id));
    if (!q) throw new QueueMissingError(id);
    return q;
  }

  private queueByArn(arn: string): QueueState | undefined {
    const id = parseQueueArn(arn);
    return id && this.state.queues.get(queueKey(id));
  }

  private finishTask(task: MoveTaskRecord, moved: number, status: 'COMPLETED' | 'FAILED', destinations: QueueId[]): MoveTaskProgress {
    const finished: MoveTaskRecord =
      status === 'FAILED' ? { ...task, moved, status, failureReason: 'AWS.SimpleQueueService.NonExistentQueue' } : { ...task, moved, status };
    this.commit({ t: 'task', task: finished });
    this.flush();
    return { task: finished, destinations };
  }

  /** Applies one change now; it reaches the journal at the next flush. */
  private commit(m: Mutation): void {
    this.state.apply(m);
    if (this.journal) this.pending.push(m);
  }

  /** Journals what this call changed, before the call returns. */
  private flush(): void {
    if (!this.journal || this.pending.length === 0) return;
    this.journal.append(this.pending);
    this.pending = [];
    if (this.journal.size > this.compactAfterBytes) this.journal.compact(this.state.snapshot());
  }
}

function countsOf(q: QueueState, now: number): MessageCounts {
  const retentionMs = settingsOf(q.record).retentionMs;
  let visible = 0;
  let notVisible = 0;
  let delayed = 0;
  for (const { rec } of q.messages.values()) {
    if (now >= rec.enqueuedAt + retentionMs) continue;
    if (rec.visibleAt <= now) visible++;
    else if (rec.receiveCount > 0) notVisible++;
    else delayed++;
  }
  return { visible, notVisible, delayed };
}

/** Whether a FIFO receipt still holds its message: it is the latest receipt and still invisible. */
function holds(slot: Slot, ref: ReceiptRef, now: number): boolean {
  return slot.rec.receipt === ref.receipt && slot.rec.visibleAt > now;
}

function dropExpiredDedup(q: QueueState, now: number): void {
  for (const [key, entry] of q.dedup) {
    if (entry.expiresAt > now) break;
    q.dedup.delete(key);
  }
}

/** The copy of a message that arrives in a dead-letter queue. */
function deadLettered(rec: MessageRecord, source: QueueState, deadLetter: QueueState, state: MemoryState, now: number): MessageRecord {
  return {
    content: {
      ...rec.content,
      deadLetterSourceArn: source.record.arn,
      sequenceNumber: deadLetter.fifo ? formatSequenceNumber(state.nextSequence++) : rec.content.sequenceNumber,
    },
    seq: deadLetter.nextSeq++,
    vseq: deadLetter.nextVseq++,
    // Standard queues keep the original enqueue time for retention; FIFO queues restart it.
    enqueuedAt: deadLetter.fifo ? now : rec.enqueuedAt,
    visibleAt: now,
    receiveCount: rec.receiveCount,
    firstReceivedAt: rec.firstReceivedAt,
    receivedAt: rec.receivedAt,
    receipt: 0,
  };
}

/** The copy of a dead-letter message a move task delivers: a fresh arrival at its destination. */
function redriven(rec: MessageRecord, destination: QueueState, state: MemoryState, now: number): MessageRecord {
  const { deadLetterSourceArn: _source, ...content } = rec.content;
  return {
    content: { ...content, sequenceNumber: destination.fifo ? formatSequenceNumber(state.nextSequence++) : undefined },
    seq: destination.nextSeq++,
    vseq: destination.nextVseq++,
    enqueuedAt: destination.fifo ? now : rec.enqueuedAt,
    visibleAt: now,
    receiveCount: 0,
    receipt: 0,
  };
}
