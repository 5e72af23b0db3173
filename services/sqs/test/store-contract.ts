import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueArn } from '../src/model.js';
import { QueueMissingError, type NewMessage, type QueueId, type QueueRecord, type Received, type SqsStore } from '../src/store/types.js';

/**
 * The SqsStore contract, backend-agnostic: `describe`s the semantics of store/types.ts against the
 * store `open` returns (one store for the suite; each case works in a fresh account, so cases never see
 * each other's queues). Run it from a `*.test.ts` per backend.
 */
export function storeContract(name: string, open: () => Promise<SqsStore>, close: (store: SqsStore) => Promise<void>): void {
  describe(`SqsStore contract: ${name}`, () => {
    let store: SqsStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await close(store);
    });

    describe('queues', () => {
      it('creates a queue once, then returns the existing record unchanged', async () => {
        const q = newQueue('orders');
        assert.deepEqual(await store.createQueue(q), { created: true, queue: q });
        const again = await store.createQueue({ ...q, attributes: { ...q.attributes, VisibilityTimeout: '99' } });
        assert.equal(again.created, false);
        assert.deepEqual(again.queue, q);
        assert.deepEqual(await store.getQueue(q.id), q);
        assert.equal(await store.getQueue({ ...q.id, name: 'nope' }), undefined);
      });

      it('merges attribute changes and tags', async () => {
        const q = await created(newQueue('attrs', { Policy: 'p' }, { env: 'dev', team: 'a' }));
        const changed = await store.setAttributes(q.id, { VisibilityTimeout: '60', Policy: null }, 1_700_000_123);
        assert.equal(changed.attributes.VisibilityTimeout, '60');
        assert.equal(changed.attributes.Policy, undefined);
        assert.equal(changed.attributes.DelaySeconds, '0');
        assert.equal(changed.lastModifiedAt, 1_700_000_123);
        assert.equal(changed.createdAt, q.createdAt);
        const tagged = await store.updateTags(q.id, { env: 'prod', owner: 'me' }, ['team']);
        assert.deepEqual(tagged.tags, { env: 'prod', owner: 'me' });
        assert.deepEqual(await store.getQueue(q.id), tagged);
      });

      it('lists queue names sorted, by account, region and prefix', async () => {
        const account = freshAccount();
        for (const name of ['b-two', 'a-one', 'b-one', 'c']) await store.createQueue(newQueue(name, {}, {}, account));
        await store.createQueue(newQueue('b-other-region', {}, {}, account, 'eu-west-1'));
        assert.deepEqual(await store.listQueues(account, REGION), ['a-one', 'b-one', 'b-two', 'c']);
        assert.deepEqual(await store.listQueues(account, REGION, 'b-'), ['b-one', 'b-two']);
        assert.deepEqual(await store.listQueues(account, 'eu-west-1'), ['b-other-region']);
        assert.deepEqual(await store.listQueues(freshAccount(), REGION), []);
      });

      it('deletes a queue with its messages; queue-scoped methods then throw QueueMissingError', async () => {
        const q = await created(newQueue('doomed'));
        await store.send(q.id, [message('m1')], T0);
        assert.equal(await store.deleteQueue(q.id), true);
        assert.equal(await store.deleteQueue(q.id), false);
        await assert.rejects(store.send(q.id, [message('m2')], T0), QueueMissingError);
        await assert.rejects(store.receive(q.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 }), QueueMissingError);
        await assert.rejects(store.counts(q.id, T0), QueueMissingError);
        await assert.rejects(store.setAttributes(q.id, { DelaySeconds: '1' }, 1), QueueMissingError);
        await assert.rejects(store.purge(q.id, T0), QueueMissingError);
        await store.createQueue(q);
        assert.deepEqual(await store.counts(q.id, T0), { visible: 0, notVisible: 0, delayed: 0 });
      });

      it('lists the queues whose RedrivePolicy targets a dead-letter queue', async () => {
        const dlq = await created(newQueue('dlq'));
        const { account } = dlq.id;
        await store.createQueue(newQueue('src-b', { RedrivePolicy: redrivePolicy(dlq, 3) }, {}, account));
        await store.createQueue(newQueue('src-a', { RedrivePolicy: redrivePolicy(dlq, 3) }, {}, account));
        await store.createQueue(newQueue('plain', {}, {}, account));
        assert.deepEqual(await store.listDeadLetterSourceQueues(account, REGION, dlq.arn), ['src-a', 'src-b']);
        assert.deepEqual(await store.listDeadLetterSourceQueues(account, REGION, queueArn({ ...dlq.id, name: 'other' })), []);
      });
    });

    describe('standard queues', () => {
      it('receives in arrival order and hides received messages for the visibility timeout', async () => {
        const q = await created(newQueue('std'));
        await store.send(q.id, [message('a'), message('b'), message('c')], T0);
        await store.send(q.id, [message('d')], T0);
        const first = await store.receive(q.id, { max: 2, visibilityTimeoutMs: 30_000, now: T0 });
        assert.deepEqual(ids(first.messages), ['a', 'b']);
        assert.equal(first.messages[0].content.body, 'body of a');
        assert.equal(first.messages[0].content.sentAt, T0);
        assert.equal(first.messages[0].content.sequenceNumber, undefined);
        const second = await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 + 1 });
        assert.deepEqual(ids(second.messages), ['c', 'd']);
        assert.deepEqual((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 + 29_999 })).messages, []);
        const again = await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 + 30_000 });
        assert.deepEqual(ids(again.messages), ['a', 'b']);
        assert.deepEqual(
          again.messages.map((m) => [m.receiveCount, m.firstReceivedAt]),
          [
            [2, T0],
            [2, T0],
          ],
        );
        const receipts = [...first.messages, ...second.messages, ...again.messages].map((m) => m.receipt);
        assert.equal(new Set(receipts).size, receipts.length);
      });

      it('puts a message made visible again at the same instant behind the others', async () => {
        const q = await created(newQueue('rotate'));
        await store.send(q.id, [message('a'), message('b'), message('c')], T0);
        const take = async () => ids((await store.receive(q.id, { max: 1, visibilityTimeoutMs: 0, now: T0 })).messages);
        assert.deepEqual([await take(), await take(), await take(), await take()], [['a'], ['b'], ['c'], ['a']]);
        const [b] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 })).messages;
        assert.equal(b.content.id, 'b');
        assert.deepEqual(await store.changeVisibility(q.id, [{ ref: ref(b), visibilityTimeoutMs: 0 }], T0), ['done']);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 })).messages), ['c', 'a', 'b']);
      });

      it('delays messages, and counts visible, in flight and delayed messages', async () => {
        const q = await created(newQueue('delays'));
        await store.send(q.id, [message('late', { delayMs: 5000 }), message('now')], T0);
        assert.deepEqual(await store.counts(q.id, T0), { visible: 1, notVisible: 0, delayed: 1 });
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 60_000, now: T0 })).messages), ['now']);
        assert.deepEqual(await store.counts(q.id, T0), { visible: 0, notVisible: 1, delayed: 1 });
        assert.equal(await store.nextVisibleAt(q.id, T0), T0 + 5000);
        assert.deepEqual((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 4999 })).messages, []);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 5000 })).messages), ['late']);
        assert.deepEqual(await store.counts(q.id, T0 + 5000), { visible: 0, notVisible: 2, delayed: 0 });
        assert.equal(await store.nextVisibleAt(q.id, T0 + 5000), T0 + 6000);
        assert.deepEqual(await store.counts(q.id, T0 + 6000), { visible: 1, notVisible: 1, delayed: 0 });
      });

      it('deletes with any receipt of an existing message', async () => {
        const q = await created(newQueue('del'));
        await store.send(q.id, [message('a')], T0);
        const [r1] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 })).messages;
        const [r2] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 })).messages;
        assert.notEqual(r1.receipt, r2.receipt);
        assert.deepEqual(await store.deleteMessages(q.id, [ref(r1), ref(r1)], T0 + 5000), ['done', 'gone']);
        assert.deepEqual(await store.counts(q.id, T0 + 5000), { visible: 0, notVisible: 0, delayed: 0 });
      });

      it('changes visibility, at most 12 hours after the latest receive', async () => {
        const q = await created(newQueue('vis'));
        await store.send(q.id, [message('a')], T0);
        const [r] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 30_000, now: T0 })).messages;
        assert.deepEqual(await store.changeVisibility(q.id, [{ ref: ref(r), visibilityTimeoutMs: 0 }], T0 + 10), ['done']);
        const [again] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 30_000, now: T0 + 10 })).messages;
        assert.equal(again.receiveCount, 2);
        const twelveHours = 43_200_000;
        assert.deepEqual(
          await store.changeVisibility(
            q.id,
            [
              { ref: ref(again), visibilityTimeoutMs: twelveHours - 90 },
              { ref: ref(again), visibilityTimeoutMs: twelveHours - 89 },
              { ref: { messageId: 'missing', receipt: 1 }, visibilityTimeoutMs: 0 },
            ],
            T0 + 100,
          ),
          ['done', 'tooLong', 'gone'],
        );
        assert.equal(await store.nextVisibleAt(q.id, T0 + 100), T0 + 10 + twelveHours);
      });

      it('drops messages past the retention period', async () => {
        const q = await created(newQueue('retention', { MessageRetentionPeriod: '60' }));
        await store.send(q.id, [message('old')], T0);
        await store.send(q.id, [message('young')], T0 + 30_000);
        assert.deepEqual(await store.counts(q.id, T0 + 59_999), { visible: 2, notVisible: 0, delayed: 0 });
        assert.deepEqual(await store.counts(q.id, T0 + 60_000), { visible: 1, notVisible: 0, delayed: 0 });
        const got = await store.receive(q.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 60_000 });
        assert.deepEqual(ids(got.messages), ['young']);
        assert.deepEqual(await store.counts(q.id, T0 + 90_000), { visible: 0, notVisible: 0, delayed: 0 });
      });
    });

    describe('FIFO queues', () => {
      it('delivers each group in order and holds a group while any of its received messages is in flight', async () => {
        const q = await created(newQueue('groups.fifo'));
        const sent = await store.send(
          q.id,
          [fifoMessage('1', 'g1'), fifoMessage('2', 'g1'), fifoMessage('3', 'g2'), fifoMessage('4', 'g1')],
          T0,
        );
        const seqs = sent.map((s) => s.sequenceNumber as string);
        assert.equal(seqs.every((s) => /^\d{20}$/.test(s)), true);
        assert.deepEqual([...seqs].sort(), seqs);
        assert.equal(new Set(seqs).size, 4);

        const first = await store.receive(q.id, { max: 2, visibilityTimeoutMs: 30_000, now: T0 });
        assert.deepEqual(ids(first.messages), ['1', '2']);
        assert.equal(first.messages[0].content.sequenceNumber, seqs[0]);
        assert.equal(first.messages[0].content.groupId, 'g1');
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 })).messages), ['3']);
        assert.deepEqual(await store.deleteMessages(q.id, [ref(first.messages[0])], T0 + 1), ['done']);
        // 2 is still in flight: g1 stays held even though 4 is visible.
        assert.deepEqual((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 + 2 })).messages, []);
        assert.deepEqual(await store.counts(q.id, T0 + 2), { visible: 1, notVisible: 2, delayed: 0 });
        assert.deepEqual(await store.deleteMessages(q.id, [ref(first.messages[1])], T0 + 3), ['done']);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 30_000, now: T0 + 4 })).messages), ['4']);
        assert.equal(await store.nextVisibleAt(q.id, T0 + 4), T0 + 30_000);
      });

      it('serves the group whose oldest message became visible first', async () => {
        const q = await created(newQueue('order.fifo'));
        await store.send(q.id, [fifoMessage('a1', 'a'), fifoMessage('b1', 'b'), fifoMessage('a2', 'a')], T0);
        const [a1] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 })).messages;
        assert.equal(a1.content.id, 'a1');
        assert.deepEqual(await store.changeVisibility(q.id, [{ ref: ref(a1), visibilityTimeoutMs: 0 }], T0 + 5), ['done']);
        // Group a's oldest message is visible again since T0 + 5; b's since T0.
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 10_000, now: T0 + 6 })).messages), [
          'b1',
          'a1',
          'a2',
        ]);
      });

      it('puts a group made receivable again at the same instant behind the others', async () => {
        const q = await created(newQueue('rotate.fifo'));
        await store.send(q.id, [fifoMessage('a1', 'a'), fifoMessage('b1', 'b'), fifoMessage('c1', 'c')], T0);
        assert.deepEqual(ids((await store.receive(q.id, { max: 1, visibilityTimeoutMs: 0, now: T0 })).messages), ['a1']);
        assert.deepEqual(ids((await store.receive(q.id, { max: 1, visibilityTimeoutMs: 0, now: T0 })).messages), ['b1']);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 0, now: T0 })).messages), ['c1', 'a1', 'b1']);
      });

      it('numbers messages store-wide: sequence numbers never repeat and grow across queues', async () => {
        const one = await created(newQueue('one.fifo'));
        const two = await created(newQueue('two.fifo', {}, {}, one.id.account));
        const numbers: string[] = [];
        for (const q of [one, two, one, two]) {
          const [sent] = await store.send(q.id, [fifoMessage(`m${numbers.length}`, 'g')], T0);
          numbers.push(sent.sequenceNumber as string);
        }
        assert.equal(new Set(numbers).size, 4);
        assert.deepEqual([...numbers].sort(), numbers);
      });

      it('answers expired for a receipt whose visibility ended or that a later receive replaced', async () => {
        const q = await created(newQueue('receipts.fifo'));
        await store.send(q.id, [fifoMessage('m', 'g')], T0);
        const [r1] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 })).messages;
        assert.deepEqual(await store.deleteMessages(q.id, [ref(r1)], T0 + 10_000), ['expired']);
        assert.deepEqual(await store.changeVisibility(q.id, [{ ref: ref(r1), visibilityTimeoutMs: 5 }], T0 + 10_000), ['expired']);
        const [r2] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 + 10_000 })).messages;
        assert.deepEqual(await store.deleteMessages(q.id, [ref(r1), ref(r2), ref(r2)], T0 + 10_001), ['expired', 'done', 'gone']);
      });

      it('deduplicates within 5 minutes on the passed clock, even after the original is deleted', async () => {
        const q = await created(newQueue('dedup.fifo'));
        const first = await store.send(q.id, [fifoMessage('m1', 'g', 'x'), fifoMessage('m2', 'g', 'x'), fifoMessage('m3', 'h', 'y')], T0);
        assert.deepEqual(
          first.map((o) => [o.messageId, o.duplicate]),
          [
            ['m1', false],
            ['m1', true],
            ['m3', false],
          ],
        );
        assert.equal(first[1].sequenceNumber, first[0].sequenceNumber);
        const [r] = (await store.receive(q.id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 })).messages;
        await store.deleteMessages(q.id, [ref(r)], T0 + 1);
        const within = await store.send(q.id, [fifoMessage('m4', 'other-group', 'x')], T0 + 299_999);
        assert.deepEqual(within, [{ messageId: 'm1', sequenceNumber: first[0].sequenceNumber, duplicate: true }]);
        const [later] = await store.send(q.id, [fifoMessage('m5', 'g', 'x')], T0 + 300_000);
        assert.equal(later.messageId, 'm5');
        assert.equal(later.duplicate, false);
        assert.ok((later.sequenceNumber as string) > (first[2].sequenceNumber as string));
      });

      it('deduplicates per message group when the queue was created so', async () => {
        const q = await created({ ...newQueue('pergroup.fifo'), dedupPerGroup: true });
        const out = await store.send(q.id, [fifoMessage('m1', 'g', 'x'), fifoMessage('m2', 'h', 'x'), fifoMessage('m3', 'g', 'x')], T0);
        assert.deepEqual(
          out.map((o) => [o.messageId, o.duplicate]),
          [
            ['m1', false],
            ['m2', false],
            ['m1', true],
          ],
        );
      });

      it('delays a group behind its delayed oldest message', async () => {
        const q = await created(newQueue('delay.fifo'));
        await store.send(q.id, [fifoMessage('a', 'g', 'a', 2000)], T0);
        await store.send(q.id, [fifoMessage('b', 'g', 'b', 0), fifoMessage('c', 'h', 'c', 0)], T0 + 1);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 10_000, now: T0 + 1 })).messages), ['c']);
        assert.deepEqual(await store.counts(q.id, T0 + 1), { visible: 1, notVisible: 1, delayed: 1 });
        assert.equal(await store.nextVisibleAt(q.id, T0 + 1), T0 + 2000);
        assert.deepEqual(ids((await store.receive(q.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 2000 })).messages), ['a', 'b']);
      });
    });

    describe('dead-letter redrive', () => {
      it('moves a message that reached maxReceiveCount to the dead-letter queue on the next receive', async () => {
        const dlq = await created(newQueue('dead'));
        const src = await created(newQueue('live', { RedrivePolicy: redrivePolicy(dlq, 2) }, {}, dlq.id.account));
        await store.send(src.id, [message('m')], T0);
        await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 });
        await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        await store.send(src.id, [message('n')], T0 + 1500);
        const third = await store.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 2000 });
        // m, received twice already, moves; n is taken.
        assert.deepEqual(ids(third.messages), ['n']);
        assert.deepEqual(third.deadLetterQueue, dlq.id);
        const [dead] = (await store.receive(dlq.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 2000 })).messages;
        assert.equal(dead.content.id, 'm');
        assert.equal(dead.content.body, 'body of m');
        assert.equal(dead.content.deadLetterSourceArn, src.arn);
        assert.equal(dead.content.sentAt, T0);
        assert.equal(dead.receiveCount, 3);
        assert.equal(dead.firstReceivedAt, T0);
        assert.deepEqual(await store.counts(src.id, T0 + 2000), { visible: 0, notVisible: 1, delayed: 0 });
        const plain = await store.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 3000 });
        assert.equal(plain.deadLetterQueue, undefined);
      });

      it('applies a RedrivePolicy set after the messages were received', async () => {
        const dlq = await created(newQueue('dead'));
        const src = await created(newQueue('live', {}, {}, dlq.id.account));
        await store.send(src.id, [message('m')], T0);
        await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 });
        await store.setAttributes(src.id, { RedrivePolicy: redrivePolicy(dlq, 1) }, 1);
        const moved = await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        assert.deepEqual(moved, { messages: [], deadLetterQueue: dlq.id });
        assert.deepEqual(await store.counts(dlq.id, T0 + 1000), { visible: 1, notVisible: 0, delayed: 0 });
      });

      it('leaves messages in place when the dead-letter queue does not exist', async () => {
        const account = freshAccount();
        const missing = newQueue('never-created', {}, {}, account);
        const src = await created(newQueue('live', { RedrivePolicy: redrivePolicy(missing, 1) }, {}, account));
        await store.send(src.id, [message('m')], T0);
        await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 });
        const again = await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        assert.deepEqual(ids(again.messages), ['m']);
        assert.equal(again.messages[0].receiveCount, 2);
      });

      it('gives a FIFO message a new sequence number in the dead-letter queue', async () => {
        const dlq = await created(newQueue('dead.fifo'));
        await store.send(dlq.id, [fifoMessage('filler', 'z')], T0);
        const src = await created(newQueue('live.fifo', { RedrivePolicy: redrivePolicy(dlq, 1) }, {}, dlq.id.account));
        const [sent] = await store.send(src.id, [fifoMessage('m', 'g')], T0);
        await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 });
        const moved = await store.receive(src.id, { max: 1, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        assert.deepEqual(moved, { messages: [], deadLetterQueue: dlq.id });
        const got = await store.receive(dlq.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        const dead = got.messages.find((m) => m.content.id === 'm') as Received;
        assert.equal(dead.content.groupId, 'g');
        assert.equal(dead.content.deadLetterSourceArn, src.arn);
        assert.ok((dead.content.sequenceNumber as string) > (sent.sequenceNumber as string));
        assert.ok((dead.content.sequenceNumber as string) > (got.messages[0].content.sequenceNumber as string));
      });
    });

    describe('purge', () => {
      it('purges at most once a minute and forgets deduplication history', async () => {
        const q = await created(newQueue('purge.fifo'));
        await store.send(q.id, [fifoMessage('m1', 'g', 'x'), fifoMessage('m2', 'g', 'y')], T0);
        await store.receive(q.id, { max: 1, visibilityTimeoutMs: 10_000, now: T0 });
        assert.equal(await store.purge(q.id, T0 + 1), 'purged');
        assert.equal((await store.getQueue(q.id))?.lastPurgedAt, T0 + 1);
        assert.deepEqual(await store.counts(q.id, T0 + 1), { visible: 0, notVisible: 0, delayed: 0 });
        const [resent] = await store.send(q.id, [fifoMessage('m3', 'g', 'x')], T0 + 2);
        assert.deepEqual([resent.messageId, resent.duplicate], ['m3', false]);
        assert.equal(await store.purge(q.id, T0 + 60_000), 'inProgress');
        assert.deepEqual(await store.counts(q.id, T0 + 60_000), { visible: 1, notVisible: 0, delayed: 0 });
        assert.equal(await store.purge(q.id, T0 + 60_001), 'purged');
        assert.deepEqual(await store.counts(q.id, T0 + 60_001), { visible: 0, notVisible: 0, delayed: 0 });
      });
    });

    describe('message move tasks', () => {
      /** A source queue whose dead-letter queue holds `count` messages (m0, m1, ...). */
      async function deadLetters(count: number): Promise<{ src: QueueRecord; dlq: QueueRecord }> {
        const dlq = await created(newQueue('dlq'));
        const src = await created(newQueue('src', { RedrivePolicy: redrivePolicy(dlq, 1) }, {}, dlq.id.account));
        await store.send(src.id, Array.from({ length: count }, (_, i) => message(`m${i}`)), T0);
        await store.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 });
        await store.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 1000 });
        assert.deepEqual(await store.counts(dlq.id, T0 + 1000), { visible: count, notVisible: 0, delayed: 0 });
        return { src, dlq };
      }

      function taskOf(dlq: QueueRecord, taskId: string, startedAt: number, more: { destinationArn?: string; maxPerSecond?: number } = {}) {
        return { taskId, account: dlq.id.account, region: dlq.id.region, sourceArn: dlq.arn, startedAt, ...more };
      }

      it('moves dead letters back to their source queues, once', async () => {
        const { src, dlq } = await deadLetters(3);
        const started = await store.startMoveTask(taskOf(dlq, `t-${dlq.id.account}`, T0 + 2000));
        assert.notEqual(started, 'alreadyRunning');
        assert.deepEqual(started, { ...taskOf(dlq, `t-${dlq.id.account}`, T0 + 2000), status: 'RUNNING', moved: 0, toMove: 3 });
        assert.equal(await store.startMoveTask(taskOf(dlq, `u-${dlq.id.account}`, T0 + 2000)), 'alreadyRunning');
        assert.ok((await store.runningMoveTasks()).includes(`t-${dlq.id.account}`));

        const progress = await store.advanceMoveTask(`t-${dlq.id.account}`, T0 + 2500);
        assert.equal(progress?.task.status, 'COMPLETED');
        assert.equal(progress?.task.moved, 3);
        assert.deepEqual(progress?.destinations, [src.id]);
        assert.ok(!(await store.runningMoveTasks()).includes(`t-${dlq.id.account}`));
        assert.deepEqual(await store.counts(dlq.id, T0 + 2500), { visible: 0, notVisible: 0, delayed: 0 });
        const back = await store.receive(src.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 2500 });
        assert.deepEqual(ids(back.messages), ['m0', 'm1', 'm2']);
        assert.deepEqual(
          back.messages.map((m) => [m.receiveCount, m.firstReceivedAt, m.content.deadLetterSourceArn]),
          [
            [1, T0 + 2500, undefined],
            [1, T0 + 2500, undefined],
            [1, T0 + 2500, undefined],
          ],
        );
        // Finished tasks come back unchanged.
        assert.deepEqual((await store.advanceMoveTask(`t-${dlq.id.account}`, T0 + 9000))?.task, progress?.task);
        assert.equal(await store.advanceMoveTask('no-such-task', T0), undefined);
      });

      it('moves at maxPerSecond to an explicit destination, and can be cancelled', async () => {
        const { dlq } = await deadLetters(5);
        const target = await created(newQueue('target', {}, {}, dlq.id.account));
        const id = `rate-${dlq.id.account}`;
        await store.startMoveTask(taskOf(dlq, id, T0 + 2000, { destinationArn: target.arn, maxPerSecond: 1 }));
        const step1 = await store.advanceMoveTask(id, T0 + 2000);
        assert.deepEqual([step1?.task.status, step1?.task.moved], ['RUNNING', 1]);
        assert.deepEqual(step1?.destinations, [target.id]);
        const step2 = await store.advanceMoveTask(id, T0 + 4500);
        assert.deepEqual([step2?.task.status, step2?.task.moved], ['RUNNING', 3]);
        const moved = await store.receive(target.id, { max: 10, visibilityTimeoutMs: 1000, now: T0 + 4500 });
        assert.deepEqual(ids(moved.messages), ['m0', 'm1', 'm2']);
        const cancelled = await store.cancelMoveTask(id);
        assert.equal(cancelled?.status, 'CANCELLED');
        assert.deepEqual(await store.getMoveTask(id), cancelled);
        assert.deepEqual((await store.advanceMoveTask(id, T0 + 60_000))?.task, cancelled);
        assert.deepEqual(await store.counts(dlq.id, T0 + 60_000), { visible: 2, notVisible: 0, delayed: 0 });
        assert.equal(await store.cancelMoveTask('no-such-task'), undefined);

        const next = await store.startMoveTask(taskOf(dlq, `next-${dlq.id.account}`, T0 + 70_000, { destinationArn: target.arn }));
        assert.notEqual(next, 'alreadyRunning');
        assert.deepEqual(
          (await store.listMoveTasks(dlq.arn)).map((t) => t.taskId),
          [`next-${dlq.id.account}`, id],
        );
      });

      it('fails when a destination queue is gone', async () => {
        const { src, dlq } = await deadLetters(2);
        const id = `fail-${dlq.id.account}`;
        await store.startMoveTask(taskOf(dlq, id, T0 + 2000));
        await store.deleteQueue(src.id);
        const progress = await store.advanceMoveTask(id, T0 + 2000);
        assert.equal(progress?.task.status, 'FAILED');
        assert.equal(progress?.task.failureReason, 'AWS.SimpleQueueService.NonExistentQueue');
        assert.equal(progress?.task.moved, 0);
        assert.deepEqual(await store.counts(dlq.id, T0 + 2000), { visible: 2, notVisible: 0, delayed: 0 });
      });
    });

    describe('administration', () => {
      it('dumps queues with counts and in-flight messages, and resets one account', async () => {
        const q = await created(newQueue('dumped.fifo'));
        const { account } = q.id;
        const other = await created(newQueue('kept'));
        await store.send(q.id, [fifoMessage('m1', 'g'), fifoMessage('m2', 'h')], T0);
        await store.receive(q.id, { max: 1, visibilityTimeoutMs: 5000, now: T0 });
        await store.startMoveTask({ taskId: `dump-${account}`, account, region: REGION, sourceArn: q.arn, startedAt: T0 });

        const dump = await store.dump(T0 + 1);
        const mine = dump.queues.find((d) => d.account === account);
        assert.ok(mine);
        assert.equal(mine.name, 'dumped.fifo');
        assert.equal(mine.arn, q.arn);
        assert.equal(mine.fifo, true);
        assert.deepEqual(mine.attributes, q.attributes);
        assert.deepEqual(mine.counts, { visible: 1, notVisible: 1, delayed: 0 });
        assert.deepEqual(mine.inFlight, [{ messageId: 'm1', groupId: 'g', receiveCount: 1, visibleAt: new Date(T0 + 5000).toISOString() }]);
        assert.ok(dump.moveTasks.some((t) => t.taskId === `dump-${account}`));
        assert.ok(dump.queues.some((d) => d.account === other.id.account));

        await store.reset(account);
        assert.deepEqual(await store.listQueues(account, REGION), []);
        assert.equal(await store.getQueue(q.id), undefined);
        assert.equal(await store.getMoveTask(`dump-${account}`), undefined);
        assert.deepEqual(await store.listMoveTasks(q.arn), []);
        assert.deepEqual(await store.getQueue(other.id), other);
      });
    });

    async function created(record: QueueRecord): Promise<QueueRecord> {
      assert.equal((await store.createQueue(record)).created, true);
      return record;
    }
  });
}

const REGION = 'us-east-1';
/** A fixed instant: the stores only ever compare the `now` they are given. */
const T0 = 1_700_000_000_000;

let accounts = 0;
/** Each case works in its own account, so one store serves the whole suite. */
function freshAccount(): string {
  accounts++;
  return String(100_000_000_000 + process.pid * 1000 + accounts);
}

function newQueue(
  name: string,
  attributes: Record<string, string> = {},
  tags: Record<string, string> = {},
  account = freshAccount(),
  region = REGION,
): QueueRecord {
  const id: QueueId = { account, region, name };
  const fifo = name.endsWith('.fifo');
  return {
    id,
    arn: queueArn(id),
    fifo,
    dedupPerGroup: false,
    createdAt: 1_700_000_000,
    lastModifiedAt: 1_700_000_000,
    attributes: {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      ...(fifo && { FifoQueue: 'true', ContentBasedDeduplication: 'false' }),
      ...attributes,
    },
    tags,
  };
}

function redrivePolicy(dlq: QueueRecord, maxReceiveCount: number): string {
  return JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount });
}

function message(id: string, more: Partial<NewMessage> = {}): NewMessage {
  return { id, body: `body of ${id}`, md5OfBody: `md5 of ${id}`, senderId: 'AIDAEXAMPLE', delayMs: 0, ...more };
}

function fifoMessage(id: string, groupId: string, dedupId = id, delayMs = 0): NewMessage {
  return message(id, { groupId, dedupId, delayMs });
}

function ids(messages: readonly Received[]): string[] {
  return messages.map((m) => m.content.id);
}

function ref(r: Received): { messageId: string; receipt: number } {
  return { messageId: r.content.id, receipt: r.receipt };
}
