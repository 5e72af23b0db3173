import type { CallContext, Handler } from '@stratus/shared';
import { missingParameter } from '../errors.js';
import { requireQueue, type SqsDeps } from './support.js';

interface TagQueueInput {
  QueueUrl?: string;
  Tags?: Record<string, string>;
}
interface UntagQueueInput {
  QueueUrl?: string;
  TagKeys?: string[];
}

/** TagQueue, UntagQueue, ListQueueTags. */
export function tagOperations(deps: SqsDeps): Record<string, Handler> {
  const { store } = deps;
  return {
    async TagQueue(input: TagQueueInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      if (!input.Tags) throw missingParameter('Tags');
      await store.updateTags(queue.id, input.Tags, []);
      return {};
    },

    async UntagQueue(input: UntagQueueInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      if (!input.TagKeys) throw missingParameter('TagKeys');
      await store.updateTags(queue.id, {}, input.TagKeys);
      return {};
    },

    async ListQueueTags(input: { QueueUrl?: string }, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
    },
  };
}
