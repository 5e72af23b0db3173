import type { CallContext, Handler } from '@stratus/shared';
import { invalidParameter, invalidParameterValue, missingParameter, purgeQueueInProgress, queueDoesNotExist, queueNameExists } from '../errors.js';
import { MAX_LIST_RESULTS, parseQueueArn, queueArn, queueUrl } from '../model.js';
import { boundedInteger, requireString } from '../params.js';
import { allowsSource, defaultAttributes, normalizeAttributes, renderAttributes, type RedrivePolicy } from '../queue-attributes.js';
import type { QueueId, QueueRecord, SqsStore } from '../store/types.js';
import { announce, nowSeconds, paginate, requireQueue, type SqsDeps } from './support.js';

interface CreateQueueInput {
  QueueName?: string;
  Attributes?: Record<string, string>;
  tags?: Record<string, string>;
}
interface QueueUrlInput {
  QueueUrl?: string;
}
interface GetQueueUrlInput {
  QueueName?: string;
  QueueOwnerAWSAccountId?: string;
}
interface ListInput {
  QueueNamePrefix?: string;
  NextToken?: string;
  MaxResults?: number;
}
interface GetQueueAttributesInput extends QueueUrlInput {
  AttributeNames?: string[];
}
interface SetQueueAttributesInput extends QueueUrlInput {
  Attributes?: Record<string, string>;
}

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/** CreateQueue, GetQueueUrl, ListQueues, Get/SetQueueAttributes, DeleteQueue, PurgeQueue, ListDeadLetterSourceQueues. */
export function queueOperations(deps: SqsDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async CreateQueue(input: CreateQueueInput, ctx: CallContext) {
      const name = requireString('QueueName', input.QueueName);
      const requested = input.Attributes ?? {};
      const fifo = String(requested.FifoQueue ?? '').toLowerCase() === 'true';
      checkQueueName(name, fifo);
      const changes = normalizeAttributes(requested, fifo);
      const id: QueueId = { account: ctx.account, region: ctx.region, name };
      const arn = queueArn(id);
      if (changes.RedrivePolicy) await checkRedriveTarget(store, id, arn, fifo, changes.RedrivePolicy, requested.RedrivePolicy);

      const attributes = defaultAttributes(fifo);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete attributes[k];
        else attributes[k] = v;
      }
      const now = nowSeconds(clock);
      const record: QueueRecord = {
        id,
        arn,
        fifo,
        dedupPerGroup: attributes.DeduplicationScope === 'messageGroup',
        createdAt: now,
        lastModifiedAt: now,
        attributes,
        tags: { ...input.tags },
      };
      const { created, queue } = await store.createQueue(record);
      if (!created) {
        // Same name: fine when every attribute asked for has the value the queue has.
        for (const k of Object.keys(requested)) {
          if (queue.attributes[k] !== (changes[k] ?? undefined)) throw queueNameExists(k);
        }
      }
      return { QueueUrl: queueUrl(ctx.host, id) };
    },

    async GetQueueUrl(input: GetQueueUrlInput, ctx: CallContext) {
      const name = requireString('QueueName', input.QueueName);
      const queue = await store.getQueue({ account: input.QueueOwnerAWSAccountId || ctx.account, region: ctx.region, name });
      if (!queue) throw queueDoesNotExist(ctx.protocol);
      return { QueueUrl: queueUrl(ctx.host, queue.id) };
    },

    async ListQueues(input: ListInput, ctx: CallContext) {
      const max = boundedInteger('MaxResults', input.MaxResults, 1, MAX_LIST_RESULTS, 'MaxResults must be an integer between 1 and 1000.');
      const names = await store.listQueues(ctx.account, ctx.region, input.QueueNamePrefix ?? '');
      const { page, next } = paginate(names, input.NextToken, max, MAX_LIST_RESULTS);
      if (page.length === 0) return {};
      const QueueUrls = page.map((name) => queueUrl(ctx.host, { account: ctx.account, region: ctx.region, name }));
      return next ? { QueueUrls, NextToken: next } : { QueueUrls };
    },

    async GetQueueAttributes(input: GetQueueAttributesInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const names = input.AttributeNames ?? [];
      if (names.length === 0) return {};
      const Attributes = await renderAttributes(queue, names, () => store.counts(queue.id, clock.now()));
      return Object.keys(Attributes).length > 0 ? { Attributes } : {};
    },

    async SetQueueAttributes(input: SetQueueAttributesInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      if (!input.Attributes) throw missingParameter('Attributes');
      if (Object.keys(input.Attributes).length === 0) return {};
      const changes = normalizeAttributes(input.Attributes, queue.fifo);
      if (changes.RedrivePolicy) {
        await checkRedriveTarget(store, queue.id, queue.arn, queue.fifo, changes.RedrivePolicy, input.Attributes.RedrivePolicy);
      }
      await store.setAttributes(queue.id, changes, nowSeconds(clock));
      // A shorter delay or visibility can make messages receivable sooner than waiting polls expect.
      announce(deps, queue.id);
      return {};
    },

    async DeleteQueue(input: QueueUrlInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      await store.deleteQueue(queue.id);
      // Long polls on it answer now instead of at their deadline.
      announce(deps, queue.id);
      return {};
    },

    async PurgeQueue(input: QueueUrlInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      if ((await store.purge(queue.id, clock.now())) === 'inProgress') throw purgeQueueInProgress(queue.id.name);
      return {};
    },

    async ListDeadLetterSourceQueues(input: QueueUrlInput & Omit<ListInput, 'QueueNamePrefix'>, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const max = boundedInteger('MaxResults', input.MaxResults, 1, MAX_LIST_RESULTS, 'MaxResults must be an integer between 1 and 1000.');
      const names = await store.listDeadLetterSourceQueues(queue.id.account, queue.id.region, queue.arn);
      const { page, next } = paginate(names, input.NextToken, max, MAX_LIST_RESULTS);
      const queueUrls = page.map((name) => queueUrl(ctx.host, { ...queue.id, name }));
      return next ? { queueUrls, NextToken: next } : { queueUrls };
    },
  };
}

function checkQueueName(name: string, fifo: boolean): void {
  if (fifo && !FIFO_NAME.test(name)) {
    throw invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
  if (!fifo && !STANDARD_NAME.test(name)) throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
}

/**
 * A RedrivePolicy may only name an existing queue of the same type, account and region whose
 * RedriveAllowPolicy admits this queue as a source. `raw` is the value as the caller wrote it.
 */
async function checkRedriveTarget(store: SqsStore, source: QueueId, sourceArn: string, fifo: boolean, normalized: string, raw = normalized): Promise<void> {
  const invalid = (reason: string) => invalidParameter('RedrivePolicy', raw, reason);
  const target = parseQueueArn((JSON.parse(normalized) as RedrivePolicy).deadLetterTargetArn)!;
  if (target.account !== source.account) throw invalid('Dead-letter target owner should be same as the source.');
  const deadLetterQueue = target.region === source.region ? await store.getQueue(target) : undefined;
  if (!deadLetterQueue) throw invalid('Dead letter target does not exist.');
  if (deadLetterQueue.fifo !== fifo) throw invalid('Dead-letter queue must be same type of queue as the source..');
  if (!allowsSource(deadLetterQueue, sourceArn)) throw invalid("The dead-letter queue's RedriveAllowPolicy does not allow this queue as a source.");
}
