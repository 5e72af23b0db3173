import { createHash } from 'node:crypto';
import type { CallContext, Handler } from '@stratus/shared';
import { checkExpressionParameters, parseExpressions, project, type ParsedCondition } from '../core.js';
import { idempotentParameterMismatch, transactionCanceled, validationError, type CancellationReason } from '../errors.js';
import { checkItem, checkKey } from '../item-rules.js';
import { keyComponent } from '../keys.js';
import { keyOf, type TableModel } from '../model.js';
import type { TransactOp, WriteOp } from '../store/types.js';
import type { Item } from '../values/attribute-value.js';
import * as shapes from '../validation/shapes.js';
import { checkProjectionForTable, checkUpdateForTable, prepareDelete, prepareGet, preparePut, prepareUpdate } from './items.js';
import { capacity, checkValues, orThrow, readUnits, requireTable, tableId, validate, wantsCapacity, writeUnits, type DynamoDeps, type Input } from './support.js';

/**
 * TransactWriteItems (all or nothing, ClientRequestToken idempotent for 10 minutes on the clock,
 * TransactionCanceledException with a reason per item in request order) and TransactGetItems.
 */

export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

/** One prepared write of a transaction, with what its cancellation reason needs. */
export interface PreparedTransactWrite {
  model: TableModel;
  op: WriteOp;
  returnOldOnFailure: boolean;
}

function conditionOf(parsed: ParsedCondition | undefined) {
  return parsed?.condition;
}

/** A transaction item: exactly one of ConditionCheck, Put, Delete, Update. */
async function prepareItem(deps: DynamoDeps, ctx: CallContext, entry: Input): Promise<PreparedTransactWrite> {
  const kinds = ['ConditionCheck', 'Put', 'Delete', 'Update'].filter((k) => entry[k] != null);
  if (kinds.length !== 1) throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
  const kind = kinds[0];
  const request = entry[kind] as Input;
  const returnOldOnFailure = request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
  switch (kind) {
    case 'Put': {
      const put = preparePut(request);
      const model = await requireTable(deps, ctx, request.TableName);
      checkItem(model, put.item);
      return { model, op: { kind: 'put', item: put.item, condition: conditionOf(put.condition) }, returnOldOnFailure };
    }
    case 'Delete': {
      const del = prepareDelete(request);
      const model = await requireTable(deps, ctx, request.TableName);
      checkKey(model, del.key);
      return { model, op: { kind: 'delete', key: del.key, condition: conditionOf(del.condition) }, returnOldOnFailure };
    }
    case 'Update': {
      const update = prepareUpdate(request);
      const model = await requireTable(deps, ctx, request.TableName);
      checkKey(model, update.key);
      checkUpdateForTable(model, update.plan);
      return { model, op: { kind: 'update', key: update.key, plan: update.plan, condition: conditionOf(update.condition) }, returnOldOnFailure };
    }
    default: {
      orThrow(checkExpressionParameters(request, ['ConditionExpression'], []));
      checkValues(request.Key);
      const parsed = parseExpressions(request);
      const model = await requireTable(deps, ctx, request.TableName);
      checkKey(model, request.Key);
      return { model, op: { kind: 'check', key: request.Key, condition: parsed.condition!.condition }, returnOldOnFailure };
    }
  }
}

function itemIdentity(model: TableModel, op: WriteOp): string {
  const key = keyOf(model, op.kind === 'put' ? op.item : op.key);
  const parts = model.keys.map((k) => keyComponent(key[k.name], k.type));
  return `${model.record.arn}\u0000${parts.join('\u0000')}`;
}

/** Applies prepared writes as one transaction; throws TransactionCanceledException when any fails. */
export async function runTransaction(deps: DynamoDeps, ctx: CallContext, writes: PreparedTransactWrite[]): Promise<void> {
  const seen = new Set<string>();
  for (const write of writes) {
    const identity = itemIdentity(write.model, write.op);
    if (seen.has(identity)) throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
  }
  const ops: TransactOp[] = writes.map((w) => ({ table: tableId(ctx, w.model.record.name), op: w.op }));
  const outcome = await deps.store.transactWrite(ops, deps.clock.now());
  if (outcome.ok) return;
  const reasons: CancellationReason[] = outcome.failures.map((failure, i) => {
    if (!failure) return { Code: 'None' };
    if (failure.code === 'ValidationError') return { Code: 'ValidationError', Message: failure.message };
    const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
    if (writes[i].returnOldOnFailure && failure.old) reason.Item = failure.old;
    return reason;
  });
  throw transactionCanceled(reasons);
}

function fingerprintOf(input: Input): string {
  const { ClientRequestToken: _token, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** Transactional capacity: two units per KB written or 4 KB read, per table. */
function transactCapacity(mode: unknown, units: Map<string, number>): unknown[] | undefined {
  if (!wantsCapacity(mode as never)) return undefined;
  return [...units.entries()].map(([table, n]) => capacity(mode as never, table, n));
}

export function transactionOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async TransactWriteItems(input: Input, ctx: CallContext) {
      validate(shapes.TransactWriteItems, input);
      const writes: PreparedTransactWrite[] = [];
      for (const entry of input.TransactItems as Input[]) writes.push(await prepareItem(deps, ctx, entry));
      const token = input.ClientRequestToken as string | undefined;
      const units = new Map<string, number>();
      for (const write of writes) {
        const name = write.model.record.name;
        units.set(name, (units.get(name) ?? 0) + 2 * writeUnits(undefined, write.op.kind === 'put' ? write.op.item : undefined));
      }
      if (token !== undefined) {
        const now = clock.now();
        const fingerprint = fingerprintOf(input);
        const previous = await store.claimToken(`${ctx.account}/${ctx.region}`, token, { fingerprint, expiresAt: now + IDEMPOTENCY_WINDOW_MS }, now);
        if (previous) {
          if (previous.fingerprint !== fingerprint) throw idempotentParameterMismatch();
          const out: Input = {};
          const consumed = transactCapacity(input.ReturnConsumedCapacity, units);
          if (consumed) out.ConsumedCapacity = consumed;
          return out;
        }
      }
      await runTransaction(deps, ctx, writes);
      const out: Input = {};
      const consumed = transactCapacity(input.ReturnConsumedCapacity, units);
      if (consumed) out.ConsumedCapacity = consumed;
      return out;
    },

    async TransactGetItems(input: Input, ctx: CallContext) {
      validate(shapes.TransactGetItems, input);
      const gets: { model: TableModel; key: Item; projection?: ReturnType<typeof prepareGet>['projection'] }[] = [];
      for (const entry of input.TransactItems as Input[]) {
        const request = entry.Get as Input;
        const get = prepareGet(request);
        const model = await requireTable(deps, ctx, request.TableName);
        checkKey(model, get.key);
        checkProjectionForTable(model, get.projection);
        gets.push({ model, key: get.key, projection: get.projection });
      }
      const responses: Input[] = [];
      const units = new Map<string, number>();
      for (const get of gets) {
        const item = await store.getItem(tableId(ctx, get.model.record.name), get.key);
        responses.push(item ? { Item: get.projection ? project(item, get.projection.paths) : item } : {});
        const name = get.model.record.name;
        units.set(name, (units.get(name) ?? 0) + 2 * readUnits(item, true));
      }
      const out: Input = { Responses: responses };
      const consumed = transactCapacity(input.ReturnConsumedCapacity, units);
      if (consumed) out.ConsumedCapacity = consumed;
      return out;
    },
  };
}
