import type { CallContext, Handler } from '@stratus/shared';
import { accessDenied, resourceNotFound, validationError } from '../errors.js';
import type { TableRecord } from '../model.js';
import { modelOf, tableId, type DynamoDeps, type Input } from './support.js';

/**
 * TagResource, UntagResource, ListTagsOfResource on table ARNs, with AWS's checks in its order:
 * an ARN that is no ARN at all is refused as access denied, a malformed table ARN is invalid, and a
 * table that does not exist is "ResourcArn ... not found" (sic).
 */

const LOOKS_LIKE_ARN = /^.+:.+:.+:.+:.+:.+\/.+$/;
const TABLE_ARN = /^arn:aws:dynamodb:([^:]+):(\d+):table\/([^/]{2}[^/]+)$/;
const MAX_TAGS = 50;

function checkArn(operation: string, arn: unknown, ctx: CallContext): void {
  if (arn == null) throw validationError('Invalid TableArn');
  if (typeof arn !== 'string' || !LOOKS_LIKE_ARN.test(arn)) {
    throw accessDenied(
      `User: arn:aws:iam::${ctx.account}:root is not authorized to perform: dynamodb:${operation} on resource: ${typeof arn === 'string' && arn !== '' ? arn : '*'}`,
    );
  }
}

function checkTableArn(arn: string): RegExpExecArray {
  const match = TABLE_ARN.exec(arn);
  if (!match) throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  return match;
}

async function requireTableByArn(deps: DynamoDeps, ctx: CallContext, arn: string, match: RegExpExecArray, message?: string): Promise<TableRecord> {
  const [, region, account, name] = match;
  const record = region === ctx.region && account === ctx.account ? await deps.store.getTable(tableId(ctx, name)) : undefined;
  if (!record) throw resourceNotFound(message ?? `Requested resource not found: ResourcArn: ${arn} not found`);
  return modelOf(record).record;
}

export function tagOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store } = deps;
  return {
    async TagResource(input: Input, ctx: CallContext) {
      checkArn('TagResource', input.ResourceArn, ctx);
      if (input.Tags == null) throw validationError("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
      const match = checkTableArn(input.ResourceArn);
      const tags = input.Tags as { Key?: string; Value?: string }[];
      if (tags.length === 0) throw validationError('Atleast one Tag needs to be provided as Input.');
      const record = await requireTableByArn(deps, ctx, input.ResourceArn, match);
      const merged = [...record.tags];
      for (const tag of tags) {
        if (typeof tag.Key !== 'string' || typeof tag.Value !== 'string') {
          throw validationError('One or more parameter values were invalid: Tag keys and values must not be null');
        }
        const existing = merged.findIndex((t) => t.Key === tag.Key);
        if (existing >= 0) merged[existing] = { Key: tag.Key, Value: tag.Value };
        else merged.push({ Key: tag.Key, Value: tag.Value });
      }
      if (merged.length > MAX_TAGS) throw validationError(`One or more parameter values were invalid: The number of tags exceeds the limit of ${MAX_TAGS}`);
      await store.replaceTable({ ...record, tags: merged });
      return {};
    },

    async UntagResource(input: Input, ctx: CallContext) {
      checkArn('UntagResource', input.ResourceArn, ctx);
      if (input.TagKeys == null) throw validationError("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
      const match = checkTableArn(input.ResourceArn);
      const keys = input.TagKeys as string[];
      if (keys.length === 0) throw validationError('Atleast one Tag Key needs to be provided as Input.');
      const record = await requireTableByArn(deps, ctx, input.ResourceArn, match, 'Requested resource not found');
      await store.replaceTable({ ...record, tags: record.tags.filter((t) => !keys.includes(t.Key)) });
      return {};
    },

    async ListTagsOfResource(input: Input, ctx: CallContext) {
      checkArn('ListTagsOfResource', input.ResourceArn, ctx);
      const match = checkTableArn(input.ResourceArn);
      const record = await requireTableByArn(deps, ctx, input.ResourceArn, match);
      return { Tags: record.tags.map((t) => ({ Key: t.Key, Value: t.Value })) };
    },
  };
}
