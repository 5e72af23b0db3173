import { Heap } from './heap.js';
import { parseSequenceNumber, queueKey } from '../model.js';
import type { MessageContent, MoveTaskRecord, QueueRecord } from './types.js';

/** One message's state inside one queue. */
export interface MessageRecord {
  content: MessageContent;
  /** Arrival order in this queue. */
  seq: number;
  /**
   * Order in which messages got their current visibleAt. Among messages visible at the same instant, the
   * one that became so earlier comes first, which is what a message made visible again at once (a
   * VisibilityTimeout of 0) needs when the clock stands still.
   */
  vseq: number;
  /** Retention counts from here. */
  enqueuedAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Latest receive, epoch ms. */
  receivedAt?: number;
  /** Latest receipt number; 0 before the first receive. */
  receipt: number;
}

/**
 * Every change to the memory state is one of these, applied by MemoryState.apply: the live store
 * applies them as it decides them, the journal stores them, and a restart applies the same records
 * again (a snapshot is itself a list of records that rebuilds the state).
 */
export type Mutation =
  | { t: 'queue'; queue: QueueRecord }
  | { t: 'queue-'; q: string }
  /** Counters that must never go back (snapshots only: during operation they follow from the records). */
  | { t: 'counters'; q: string; seq: number; vseq: number; receipt: number }
  | { t: 'sequence'; next: number }
  | { t: 'msg'; q: string; m: MessageRecord }
  | { t: 'recv'; q: string; id: string; at: number; visibleAt: number; vseq: number; receipt: number }
  | { t: 'vis'; q: string; id: string; visibleAt: number; vseq: number }
  | { t: 'msg-'; q: string; id: string }
  | { t: 'dedup'; q: string; key: string; messageId: string; sequenceNumber?: string; expiresAt: number }
  /** Every message and all deduplication history of a queue go (PurgeQueue). */
  | { t: 'clear'; q: string }
  | { t: 'task'; task: MoveTaskRecord }
  | { t: 'task-'; id: string };

/** A message plus its index bookkeeping (never persisted). */
export interface Slot {
  readonly rec: MessageRecord;
  /** Bumped on every visibility change, so older heap entries for it are recognised as stale. */
  ver: number;
  deleted: boolean;
  group?: Group;
}

/** FIFO message group: its messages in arrival order (deleted ones are skipped, then trimmed). */
export interface Group {
  readonly id: string;
  slots: Slot[];
  head: number;
  live: number;
  ver: number;
}

interface Entry {
  readonly slot: Slot;
  readonly at: number;
  readonly vseq: number;
  readonly ver: number;
}

interface GroupEntry {
  readonly group: Group;
  readonly at: number;
  readonly vseq: number;
  readonly ver: number;
}

export interface DedupEntry {
  readonly messageId: string;
  readonly sequenceNumber?: string;
  readonly expiresAt: number;
}

const byVisibility = (a: { at: number; vseq: number }, b: { at: number; vseq: number }): boolean =>
  a.at < b.at || (a.at === b.at && a.vseq < b.vseq);

// Stale heap entries are dropped when they surface; a heap this much bigger than what it indexes is rebuilt.
const HEAP_SLACK = 1024;

/**
 * One queue's messages and the indexes receive needs: standard queues keep one heap of messages by
 * (visibleAt, vseq); FIFO queues keep groups and a heap of groups by their oldest message's
 * (visibleAt, vseq). Heap entries are never updated in place: a change pushes a new entry and
 * the old one, recognised by its version, is skipped when it surfaces.
 */
export class QueueState {
  readonly key: string;
  readonly messages = new Map<string, Slot>();
  /** Next arrival number. */
  nextSeq = 1;
  /** Next visibility order number. */
  nextVseq = 1;
  /** Last receipt number handed out. */
  receipts = 0;
  readonly ready = new Heap<Entry>(byVisibility);
  readonly groups = new Map<string, Group>();
  readonly readyGroups = new Heap<GroupEntry>(byVisibility);
  /** FIFO deduplication keys in the order they were recorded, which is also expiry order. */
  readonly dedup = new Map<string, DedupEntry>();

  constructor(public record: QueueRecord) {
    this.key = queueKey(record.id);
  }

  get fifo(): boolean {
    return this.record.fifo;
  }

  /** The next valid standard-queue entry, dropping stale ones on the way. */
  peekReady(): Entry | undefined {
    for (;;) {
      const e = this.ready.peek();
      if (!e || (!e.slot.deleted && e.ver === e.slot.ver)) return e;
      this.ready.pop();
    }
  }

  /** The next valid FIFO group entry, dropping stale ones on the way. */
  peekReadyGroup(): GroupEntry | undefined {
    for (;;) {
      const e = this.readyGroups.peek();
      if (!e || (e.ver === e.group.ver && e.group.live > 0)) return e;
      this.readyGroups.pop();
    }
  }

  headOf(group: Group): Slot | undefined {
    while (group.head < group.slots.length && group.slots[group.head].deleted) group.head++;
    if (group.head > 64 && group.head * 2 > group.slots.length) {
      group.slots = group.slots.slice(group.head);
      group.head = 0;
    }
    return group.slots[group.head];
  }

  add(rec: MessageRecord): void {
    const slot: Slot = { rec, ver: 0, deleted: false };
    this.messages.set(rec.content.id, slot);
    if (rec.seq >= this.nextSeq) this.nextSeq = rec.seq + 1;
    if (rec.vseq >= this.nextVseq) this.nextVseq = rec.vseq + 1;
    if (!this.fifo) {
      this.pushReady(slot);
      return;
    }
    const groupId = rec.content.groupId ?? '';
    let group = this.groups.get(groupId);
    if (!group) {
      group = { id: groupId, slots: [], head: 0, live: 0, ver: 0 };
      this.groups.set(groupId, group);
    }
    slot.group = group;
    group.slots.push(slot);
    if (++group.live === 1) this.rekey(group);
  }

  /** A slot's visibility changed: index it anew. */
  reindex(slot: Slot): void {
    slot.ver++;
    if (slot.rec.vseq >= this.nextVseq) this.nextVseq = slot.rec.vseq + 1;
    if (!slot.group) this.pushReady(slot);
    else if (this.headOf(slot.group) === slot) this.rekey(slot.group);
  }

  remove(slot: Slot): void {
    const group = slot.group;
    const wasHead = group !== undefined && this.headOf(group) === slot;
    slot.deleted = true;
    this.messages.delete(slot.rec.content.id);
    if (!group) return;
    if (--group.live === 0) {
      this.groups.delete(group.id);
      group.ver++;
    } else if (wasHead) {
      this.rekey(group);
    }
  }

  clear(): void {
    for (const slot of this.messages.values()) slot.deleted = true;
    this.messages.clear();
    this.ready.clear();
    this.groups.clear();
    this.readyGroups.clear();
    this.dedup.clear();
  }

  private pushReady(slot: Slot): void {
    if (this.ready.size > 2 * this.messages.size + HEAP_SLACK) {
      this.ready.rebuild([...this.messages.values()].map((s) => ({ slot: s, at: s.rec.visibleAt, vseq: s.rec.vseq, ver: s.ver })));
      return;
    }
    this.ready.push({ slot, at: slot.rec.visibleAt, vseq: slot.rec.vseq, ver: slot.ver });
  }

  private rekey(group: Group): void {
    group.ver++;
    if (this.readyGroups.size > 2 * this.groups.size + HEAP_SLACK) {
      const entries: GroupEntry[] = [];
      for (const g of this.groups.values()) {
        const h = this.headOf(g);
        if (h) entries.push({ group: g, at: h.rec.visibleAt, vseq: h.rec.vseq, ver: g.ver });
      }
      this.readyGroups.rebuild(entries);
      return;
    }
    const head = this.headOf(group);
    if (head) this.readyGroups.push({ group, at: head.rec.visibleAt, vseq: head.rec.vseq, ver: group.ver });
  }
}

/** All SQS state of a memory store. `apply` is the only way it changes. */
export class MemoryState {
  readonly queues = new Map<string, QueueState>();
  readonly tasks = new Map<string, MoveTaskRecord>();
  /** Next FIFO sequence number, shared by all queues so numbers never repeat. */
  nextSequence = 1;

  apply(m: Mutation): void {
    switch (m.t) {
      case 'queue': {
        const existing = this.queues.get(queueKey(m.queue.id));
        if (existing) existing.record = m.queue;
        else this.queues.set(queueKey(m.queue.id), new QueueState(m.queue));
        return;
      }
      case 'queue-':
        this.queues.get(m.q)?.clear();
        this.queues.delete(m.q);
        return;
      case 'counters': {
        const q = this.queue(m.q);
        q.nextSeq = Math.max(q.nextSeq, m.seq);
        q.nextVseq = Math.max(q.nextVseq, m.vseq);
        q.receipts = Math.max(q.receipts, m.receipt);
        return;
      }
      case 'msg': {
        // The store keeps its own copy: the mutation object may still be waiting to be journaled.
        this.queue(m.q).add({ ...m.m });
        const sequenceNumber = m.m.content.sequenceNumber;
        if (sequenceNumber !== undefined) this.nextSequence = Math.max(this.nextSequence, parseSequenceNumber(sequenceNumber) + 1);
        return;
      }
      case 'sequence':
        this.nextSequence = Math.max(this.nextSequence, m.next);
        return;
      case 'recv': {
        const q = this.queue(m.q);
        const slot = this.slot(q, m.id);
        const rec = slot.rec;
        rec.receiveCount++;
        rec.firstReceivedAt ??= m.at;
        rec.receivedAt = m.at;
        rec.visibleAt = m.visibleAt;
        rec.vseq = m.vseq;
        rec.receipt = m.receipt;
        if (m.receipt > q.receipts) q.receipts = m.receipt;
        q.reindex(slot);
        return;
      }
      case 'vis': {
        const q = this.queue(m.q);
        const slot = this.slot(q, m.id);
        slot.rec.visibleAt = m.visibleAt;
        slot.rec.vseq = m.vseq;
        q.reindex(slot);
        return;
      }
      case 'msg-': {
        const q = this.queue(m.q);
        q.remove(this.slot(q, m.id));
        return;
      }
      case 'dedup': {
        const q = this.queue(m.q);
        // Re-inserting keeps the map in expiry order.
        q.dedup.delete(m.key);
        q.dedup.set(m.key, { messageId: m.messageId, sequenceNumber: m.sequenceNumber, expiresAt: m.expiresAt });
        return;
      }
      case 'clear':
        this.queue(m.q).clear();
        return;
      case 'task':
        this.tasks.set(m.task.taskId, m.task);
        return;
      case 'task-':
        this.tasks.delete(m.id);
        return;
    }
  }

  /** The records that rebuild this state from nothing. */
  *snapshot(): Generator<Mutation> {
    yield { t: 'sequence', next: this.nextSequence };
    for (const q of this.queues.values()) {
      yield { t: 'queue', queue: q.record };
      yield { t: 'counters', q: q.key, seq: q.nextSeq, vseq: q.nextVseq, receipt: q.receipts };
      for (const slot of q.messages.values()) yield { t: 'msg', q: q.key, m: slot.rec };
      for (const [key, d] of q.dedup) yield { t: 'dedup', q: q.key, key, ...d };
    }
    for (const task of this.tasks.values()) yield { t: 'task', task };
  }

  private queue(key: string): QueueState {
    const q = this.queues.get(key);
    if (!q) throw new Error(`journal names unknown queue ${key}`);
    return q;
  }

  private slot(q: QueueState, id: string): Slot {
    const slot = q.messages.get(id);
    if (!slot) throw new Error(`journal names unknown message ${id} in ${q.key}`);
    return slot;
  }
}
