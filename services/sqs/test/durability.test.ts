import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '@stratus/shared/journal';
import { MemoryStore } from '../src/store/memory.js';
import { ACCOUNT, T0, bodies, counts, frozenClock, harness, rejects, type Harness } from './harness.js';

describe('journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what was appended, in order, after a reopen', () => {
    const { journal, records } = Journal.open(dir, 'state');
    assert.deepEqual(records, []);
    journal.append([{ n: 1 }, { n: 2 }]);
    journal.append([]);
    journal.append([{ n: 3, text: 'line\nbreak ✓' }]);
    assert.equal(journal.size, readFileSync(join(dir, 'state.0.log')).length);
    // No close: a killed process never gets to close.
    const again = Journal.open(dir, 'state');
    assert.deepEqual(again.records, [{ n: 1 }, { n: 2 }, { n: 3, text: 'line\nbreak ✓' }]);
    again.journal.close();
    journal.close();
  });

  it('drops a record cut short at the end and trims the file to the last whole one', () => {
    const { journal } = Journal.open(dir, 'state');
    journal.append([{ n: 1 }, { n: 2 }]);
    journal.close();
    const log = join(dir, 'state.0.log');
    const whole = statSync(log).size;
    appendFileSync(log, '[{"n":3,"te');
    const reopened = Journal.open(dir, 'state');
    assert.deepEqual(reopened.records, [{ n: 1 }, { n: 2 }]);
    assert.equal(statSync(log).size, whole);
    reopened.journal.append([{ n: 4 }]);
    reopened.journal.close();
    assert.deepEqual(Journal.open(dir, 'state').records, [{ n: 1 }, { n: 2 }, { n: 4 }]);
  });

  it('refuses a corrupt line in the middle rather than lose what follows', () => {
    writeFileSync(join(dir, 'state.0.log'), '[{"n":1}]\nnot json\n[{"n":3}]\n');
    assert.throws(() => Journal.open(dir, 'state'), /corrupt record at byte offset 10/);
  });

  it('keeps or loses one append as a whole when a crash cuts it', () => {
    const { journal } = Journal.open(dir, 'state');
    journal.append([{ n: 1 }]);
    journal.append([{ n: 2 }, { n: 3 }]);
    journal.close();
    const log = join(dir, 'state.0.log');
    const text = readFileSync(log, 'utf8');
    // Cut the last append in the middle of its second record.
    writeFileSync(log, text.slice(0, text.indexOf('{"n":3') + 3));
    assert.deepEqual(Journal.open(dir, 'state').records, [{ n: 1 }]);
  });

  it('compacts into a new generation and removes the old files', () => {
    const { journal } = Journal.open(dir, 'state');
    journal.append([{ n: 1 }, { n: 2 }, { n: 3 }]);
    journal.compact([{ total: 3 }]);
    assert.equal(journal.size, 0);
    journal.append([{ n: 4 }]);
    journal.close();
    assert.deepEqual(readdirSync(dir).sort(), ['state.1.log', 'state.1.snapshot']);
    assert.deepEqual(Journal.open(dir, 'state').records, [{ total: 3 }, { n: 4 }]);
  });

  it('ignores the previous generation once a newer snapshot is in place (a crash during compaction)', () => {
    writeFileSync(join(dir, 'state.0.log'), '[{"old":1}]\n');
    writeFileSync(join(dir, 'state.1.snapshot'), '[{"snapshot":1}]\n');
    writeFileSync(join(dir, 'state.2.snapshot.tmp'), '[{"half-written":');
    const { journal, records } = Journal.open(dir, 'state');
    journal.close();
    assert.deepEqual(records, [{ snapshot: 1 }]);
    assert.deepEqual(readdirSync(dir).sort(), ['state.1.log', 'state.1.snapshot']);
  });
});

describe('durable memory store (data directory)', () => {
  let dir: string;
  let live: Harness | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-sqs-data-'));
  });
  afterEach(async () => {
    await live?.close();
    live = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A second service on the same directory, as after `kill -9` (the first one never closes). */
  const restart = async (clock = frozenClock(T0)) => {
    live = await harness(dir, clock);
    return live;
  };

  it('finds every acknowledged change after a kill, and nothing deleted comes back', async () => {
    const clock = frozenClock();
    const before = await harness(dir, clock);
    const url = await before.queue('durable', { VisibilityTimeout: '60' });
    await before.call('TagQueue', { QueueUrl: url, Tags: { team: 'a' } });
    const fifo = await before.queue('durable.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    for (const body of ['keep-1', 'delete-me', 'in-flight', 'keep-2']) await before.call('SendMessage', { QueueUrl: url, MessageBody: body });
    await before.call('SendMessage', { QueueUrl: url, MessageBody: 'delayed', DelaySeconds: 300 });
    const received = (await before.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 3 })).Messages;
    assert.deepEqual(
      received.map((m: { Body: string }) => m.Body),
      ['keep-1', 'delete-me', 'in-flight'],
    );
    await before.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: received[1].ReceiptHandle });
    await before.call('ChangeMessageVisibility', { QueueUrl: url, ReceiptHandle: received[0].ReceiptHandle, VisibilityTimeout: 0 });
    const sent = await before.call('SendMessage', { QueueUrl: fifo, MessageBody: 'once', MessageGroupId: 'g' });
    const stateBefore = await before.service.dump();

    const after = await restart(frozenClock(T0));
    assert.deepEqual(await after.service.dump(), stateBefore);
    after.advance(10);
    assert.deepEqual((await after.call('ListQueueTags', { QueueUrl: url })).Tags, { team: 'a' });
    assert.deepEqual(await counts(after, url), [2, 1, 1]);
    // The in-flight message keeps its deadline and its receipt handle still deletes it.
    const again = (await after.call('ReceiveMessage', { QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['ApproximateReceiveCount'] })).Messages;
    assert.deepEqual(
      again.map((m: { Body: string; Attributes: Record<string, string> }) => [m.Body, m.Attributes.ApproximateReceiveCount]),
      [
        ['keep-2', '1'],
        ['keep-1', '2'],
      ],
    );
    await after.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: received[2].ReceiptHandle });
    // FIFO deduplication history survives: the same body within 5 minutes is still a duplicate.
    const dup = await after.call('SendMessage', { QueueUrl: fifo, MessageBody: 'once', MessageGroupId: 'g' });
    assert.equal(dup.MessageId, sent.MessageId);
    const next = await after.call('SendMessage', { QueueUrl: fifo, MessageBody: 'twice', MessageGroupId: 'g' });
    assert.ok(BigInt(next.SequenceNumber) > BigInt(sent.SequenceNumber));
    after.advance(600);
    assert.deepEqual(
      (await bodies(after, url)).sort(),
      ['delayed', 'keep-1', 'keep-2'],
    );
  });

  it('keeps queue attribute changes, purges and deletions', async () => {
    const before = await harness(dir);
    const kept = await before.queue('kept');
    const gone = await before.queue('gone');
    await before.call('SetQueueAttributes', { QueueUrl: kept, Attributes: { DelaySeconds: '7', Policy: '{"Version":"2012-10-17"}' } });
    await before.call('SendMessage', { QueueUrl: kept, MessageBody: 'purged' });
    await before.call('PurgeQueue', { QueueUrl: kept });
    await before.call('DeleteQueue', { QueueUrl: gone });

    const after = await restart();
    const a = (await after.call('GetQueueAttributes', { QueueUrl: kept, AttributeNames: ['DelaySeconds', 'Policy'] })).Attributes;
    assert.deepEqual(a, { DelaySeconds: '7', Policy: '{"Version":"2012-10-17"}' });
    assert.deepEqual(await counts(after, kept), [0, 0, 0]);
    await rejects(after.call('PurgeQueue', { QueueUrl: kept }), 'PurgeQueueInProgress');
    await rejects(after.call('GetQueueUrl', { QueueName: 'gone' }), 'QueueDoesNotExist');
    assert.deepEqual((await after.call('ListQueues', {})).QueueUrls, [kept]);
  });

  it('tolerates a journal cut mid-record by a crash', async () => {
    const before = await harness(dir);
    const url = await before.queue('torn');
    await before.call('SendMessage', { QueueUrl: url, MessageBody: 'whole' });
    const log = readdirSync(join(dir, 'sqs')).find((f) => f.endsWith('.log'))!;
    appendFileSync(join(dir, 'sqs', log), '[{"t":"msg","q":"000000000000/us-east-1/torn","m":{"content":{"id":"half');
    const after = await restart();
    assert.deepEqual(await bodies(after, url), ['whole']);
    await after.call('SendMessage', { QueueUrl: url, MessageBody: 'after the tear' });
    const third = await harness(dir);
    assert.deepEqual(await counts(third, url), [1, 1, 0]);
  });

  it('compacts on close and starts from the snapshot', async () => {
    const first = await harness(dir);
    const url = await first.queue('snap');
    for (let i = 0; i < 5; i++) await first.call('SendMessage', { QueueUrl: url, MessageBody: `m${i}` });
    const [m] = (await first.call('ReceiveMessage', { QueueUrl: url })).Messages;
    await first.close();
    assert.deepEqual(readdirSync(join(dir, 'sqs')).sort(), ['state.1.log', 'state.1.snapshot']);
    const after = await restart();
    assert.deepEqual(await counts(after, url), [4, 1, 0]);
    await after.call('DeleteMessage', { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await counts(after, url), [4, 0, 0]);
  });

  it('compacts a growing journal as it goes, without changing the state', async () => {
    const store = MemoryStore.open(dir, 2048);
    const id = { account: ACCOUNT, region: 'us-east-1', name: 'busy.fifo' };
    await store.createQueue({
      id,
      arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:busy.fifo`,
      fifo: true,
      dedupPerGroup: false,
      createdAt: T0 / 1000,
      lastModifiedAt: T0 / 1000,
      attributes: { VisibilityTimeout: '30', MessageRetentionPeriod: '345600' },
      tags: {},
    });
    let last = '';
    for (let i = 0; i < 40; i++) {
      const [sent] = await store.send(id, [{ id: `m${i}`, body: `body ${i}`, md5OfBody: 'x', senderId: 's', groupId: `g${i % 3}`, dedupId: `d${i}`, delayMs: 0 }], T0 + i);
      last = sent.sequenceNumber!;
      const { messages } = await store.receive(id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 + i });
      if (i % 2 === 0 && messages[0]) await store.deleteMessages(id, [{ messageId: messages[0].content.id, receipt: messages[0].receipt }], T0 + i);
    }
    assert.ok(readdirSync(join(dir, 'sqs')).some((f) => /^state\.[1-9]\d*\.snapshot$/.test(f)), 'a compaction happened');
    const reopened = MemoryStore.open(dir);
    assert.deepEqual(await reopened.dump(T0 + 100), await store.dump(T0 + 100));
    // Counters carry over: sequence numbers keep growing, deduplication ids are remembered.
    const [next] = await reopened.send(id, [{ id: 'n', body: 'b', md5OfBody: 'x', senderId: 's', groupId: 'g0', dedupId: 'new', delayMs: 0 }], T0 + 100);
    assert.ok(BigInt(next.sequenceNumber!) > BigInt(last));
    const [dup] = await reopened.send(id, [{ id: 'o', body: 'b', md5OfBody: 'x', senderId: 's', groupId: 'g0', dedupId: 'd0', delayMs: 0 }], T0 + 100);
    assert.deepEqual([dup.messageId, dup.duplicate], ['m0', true]);
  });

  it('forgets everything on reset, durably', async () => {
    const first = await harness(dir);
    await first.queue('a');
    await first.call('CreateQueue', { QueueName: 'b' }, { account: '111122223333' });
    await first.service.reset('111122223333');
    const second = await harness(dir);
    assert.deepEqual((await second.call('ListQueues', {})).QueueUrls, [`http://localhost:4566/${ACCOUNT}/a`]);
    assert.deepEqual(await second.call('ListQueues', {}, { account: '111122223333' }), {});
    await second.service.reset();
    const after = await restart();
    assert.deepEqual(await after.call('ListQueues', {}), {});
  });

  it('resumes a running move task after a restart', async () => {
    const clock = frozenClock();
    const first = await harness(dir, clock);
    const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
    await first.queue('dlq');
    const src = await first.queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('dlq'), maxReceiveCount: 1 }) });
    const dest = await first.queue('dest');
    for (let i = 0; i < 3; i++) await first.call('SendMessage', { QueueUrl: src, MessageBody: `m${i}` });
    for (let i = 0; i < 2; i++) await first.call('ReceiveMessage', { QueueUrl: src, VisibilityTimeout: 0, MaxNumberOfMessages: 10 });
    await first.call('StartMessageMoveTask', { SourceArn: arn('dlq'), DestinationArn: arn('dest'), MaxNumberOfMessagesPerSecond: 1 });
    assert.deepEqual(await counts(first, dest), [1, 0, 0]);
    // The new process steps the task it finds RUNNING as it starts.
    const after = await restart(frozenClock(T0 + 5000));
    assert.deepEqual(await counts(after, dest), [3, 0, 0]);
    const [task] = (await after.call('ListMessageMoveTasks', { SourceArn: arn('dlq') })).Results;
    assert.equal(task.Status, 'COMPLETED');
  });
});
