import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueArn } from '../src/model.js';
import { RedisSqsStore } from '../src/store/redis.js';
import type { NewMessage, QueueId, QueueRecord, Received } from '../src/store/types.js';
import { startRedisServer, type RedisServer } from '@stratus/shared/testing/redis-server';

// What only a shared backend shows: two stores on two connections behave like two service replicas.

const T0 = 1_700_000_000_000;
const REGION = 'us-east-1';

describe('RedisSqsStore across replicas', () => {
  let server: RedisServer;
  let a: RedisSqsStore;
  let b: RedisSqsStore;
  let accounts = 0;

  before(async () => {
    server = await startRedisServer();
    [a, b] = await Promise.all([RedisSqsStore.connect(server.url), RedisSqsStore.connect(server.url)]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  });

  function queue(name: string, attributes: Record<string, string> = {}): QueueRecord {
    const id: QueueId = { account: String(300_000_000_000 + ++accounts), region: REGION, name };
    const fifo = name.endsWith('.fifo');
    return {
      id,
      arn: queueArn(id),
      fifo,
      dedupPerGroup: false,
      createdAt: 1,
      lastModifiedAt: 1,
      attributes: { VisibilityTimeout: '30', DelaySeconds: '0', MessageRetentionPeriod: '345600', ...attributes },
      tags: {},
    };
  }

  function message(id: string, groupId?: string, dedupId?: string): NewMessage {
    return { id, body: id, md5OfBody: id, senderId: 'AIDA', delayMs: 0, groupId, dedupId: dedupId ?? (groupId && id) };
  }

  it('never hands the same message to two receivers while it is in flight', async () => {
    const q = queue('contended');
    await a.createQueue(q);
    const total = 400;
    await Promise.all(
      Array.from({ length: total / 10 }, (_, batch) =>
        (batch % 2 ? a : b).send(
          q.id,
          Array.from({ length: 10 }, (_, i) => message(`m${batch * 10 + i}`)),
          T0,
        ),
      ),
    );
    const seen: string[] = [];
    // 16 receivers, 8 per replica, each polling until the queue has nothing visible left.
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        const store = worker % 2 ? a : b;
        for (;;) {
          const { messages } = await store.receive(q.id, { max: 10, visibilityTimeoutMs: 60_000, now: T0 });
          if (messages.length === 0) return;
          seen.push(...messages.map((m) => m.content.id));
        }
      }),
    );
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.deepEqual(await b.counts(q.id, T0), { visible: 0, notVisible: total, delayed: 0 });
  });

  it('keeps FIFO groups exclusive and in order across replicas', async () => {
    const q = queue('contended.fifo');
    await a.createQueue(q);
    const groups = 8;
    const perGroup = 15;
    for (let i = 0; i < perGroup; i++) {
      await (i % 2 ? a : b).send(
        q.id,
        Array.from({ length: groups }, (_, g) => message(`g${g}-${i}`, `g${g}`)),
        T0,
      );
    }
    const held = new Set<string>();
    const delivered = new Map<string, number[]>();
    let now = T0;
    await Promise.all(
      Array.from({ length: 12 }, async (_, worker) => {
        const store = worker % 2 ? a : b;
        let idle = 0;
        while (idle < 3) {
          const { messages } = await store.receive(q.id, { max: 3, visibilityTimeoutMs: 60_000, now: ++now });
          if (messages.length === 0) {
            idle++;
            await new Promise((r) => setImmediate(r));
            continue;
          }
          idle = 0;
          const mine = new Set(messages.map((m) => m.content.groupId as string));
          for (const group of mine) {
            assert.ok(!held.has(group), `group ${group} handed out while in flight`);
            held.add(group);
          }
          for (const m of messages) {
            const group = m.content.groupId as string;
            delivered.set(group, [...(delivered.get(group) ?? []), Number(m.content.id.split('-')[1])]);
          }
          await new Promise((r) => setImmediate(r));
          // Released before the delete is sent, so a fast receive elsewhere cannot trip the check falsely.
          for (const group of mine) held.delete(group);
          const outcomes = await store.deleteMessages(q.id, messages.map(ref), now);
          assert.deepEqual(outcomes, messages.map(() => 'done'));
        }
      }),
    );
    assert.equal(delivered.size, groups);
    for (const order of delivered.values()) assert.deepEqual(order, Array.from({ length: perGroup }, (_, i) => i));
  });

  it('deduplicates FIFO sends racing on two replicas', async () => {
    const q = queue('dedup.fifo');
    await a.createQueue(q);
    const outcomes = (
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).send(q.id, [message(`m${i}`, 'g', 'same')], T0)))
    ).flat();
    const originals = outcomes.filter((o) => !o.duplicate);
    assert.equal(originals.length, 1);
    assert.ok(outcomes.every((o) => o.messageId === originals[0].messageId && o.sequenceNumber === originals[0].sequenceNumber));
    assert.deepEqual(await a.counts(q.id, T0), { visible: 1, notVisible: 0, delayed: 0 });
  });

  it('honours a RedrivePolicy changed through another replica', async () => {
    const dlq = queue('dlq');
    const other = { ...queue('dlq2'), id: { ...dlq.id, name: 'dlq2' }, arn: queueArn({ ...dlq.id, name: 'dlq2' }) };
    const src = { ...queue('src'), id: { ...dlq.id, name: 'src' }, arn: queueArn({ ...dlq.id, name: 'src' }) };
    await Promise.all([a.createQueue(dlq), a.createQueue(other), a.createQueue(src)]);
    await a.send(src.id, [message('m1')], T0);
    // a receives before any policy exists, so it has no dead-letter keys in mind.
    assert.equal((await a.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 })).messages.length, 1);
    await b.setAttributes(src.id, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) }, 2);
    const first = await a.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 });
    assert.deepEqual(first, { messages: [], deadLetterQueue: dlq.id });
    // And when the policy moves to another queue, a follows it.
    await a.send(src.id, [message('m2')], T0 + 1000);
    assert.equal((await a.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 1000 })).messages.length, 1);
    await b.setAttributes(src.id, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: other.arn, maxReceiveCount: 1 }) }, 3);
    const second = await a.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 2000 });
    assert.deepEqual(second, { messages: [], deadLetterQueue: other.id });
    assert.deepEqual(await b.counts(dlq.id, T0 + 2000), { visible: 1, notVisible: 0, delayed: 0 });
    assert.deepEqual(await b.counts(other.id, T0 + 2000), { visible: 1, notVisible: 0, delayed: 0 });
  });

  it('lets any replica advance a move task, moving each message once', async () => {
    const dlq = queue('dlq');
    const src = { ...queue('src'), id: { ...dlq.id, name: 'src' }, arn: queueArn({ ...dlq.id, name: 'src' }) };
    const policy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    await a.createQueue(dlq);
    await a.createQueue({ ...src, attributes: { ...src.attributes, RedrivePolicy: policy } });
    await a.send(src.id, Array.from({ length: 10 }, (_, i) => message(`m${i}`)), T0);
    await a.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 });
    await a.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 1000 });
    const taskId = `task-${dlq.id.account}`;
    await a.startMoveTask({ taskId, account: dlq.id.account, region: REGION, sourceArn: dlq.arn, startedAt: T0 + 2000, maxPerSecond: 2 });
    const steps = await Promise.all([T0 + 3000, T0 + 3000, T0 + 4000, T0 + 9000].map((now, i) => (i % 2 ? a : b).advanceMoveTask(taskId, now)));
    const final = await b.getMoveTask(taskId);
    assert.equal(final?.status, 'COMPLETED');
    assert.equal(final?.moved, 10);
    assert.ok(steps.every((s) => s !== undefined));
    const back = await b.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 9000 });
    assert.deepEqual(
      back.messages.map((m: Received) => m.content.id),
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    assert.deepEqual(await a.runningMoveTasks(), []);
  });

  it('drains a deep standard queue in arrival order', async () => {
    const q = queue('deep');
    await a.createQueue(q);
    const n = 5000;
    for (let i = 0; i < n; i += 10) {
      await a.send(q.id, Array.from({ length: 10 }, (_, j) => message(String(i + j).padStart(5, '0'))), T0 + i);
    }
    const order: string[] = [];
    for (;;) {
      const { messages } = await b.receive(q.id, { max: 10, visibilityTimeoutMs: 60_000, now: T0 + n });
      if (messages.length === 0) break;
      order.push(...messages.map((m) => m.content.id));
      await b.deleteMessages(q.id, messages.map(ref), T0 + n);
    }
    assert.equal(order.length, n);
    assert.deepEqual(order, [...order].sort());
    assert.deepEqual(await a.counts(q.id, T0 + n), { visible: 0, notVisible: 0, delayed: 0 });
  });

  it('forgets everything on reset()', async () => {
    const q = queue('gone');
    await a.createQueue(q);
    await a.send(q.id, [message('m')], T0);
    await b.reset();
    assert.equal(await a.getQueue(q.id), undefined);
    assert.deepEqual((await a.dump(T0)).queues, []);
    await assert.rejects(a.receive(q.id, { max: 1, visibilityTimeoutMs: 1, now: T0 }));
  });
});

function ref(m: Received): { messageId: string; receipt: number } {
  return { messageId: m.content.id, receipt: m.receipt };
}
