import type { CallContext, Handler } from '@stratus/shared';
import { AwsError } from '@stratus/shared';
import { evaluateCondition, itemSize, MAX_ITEM_SIZE, project, validateAttributeMap, validateAttributeValue, type Condition } from '../core.js';
import { conditionalCheckFailed, duplicateItem, validationError } from '../errors.js';
import { checkItem, keyProblem } from '../item-rules.js';
import { findIndex, projectForIndex, type TableModel } from '../model.js';
import { parseStatement, PartiqlError, type Statement } from '../partiql/parser.js';
import type { AttributeValue, Item } from '../values/attribute-value.js';
import * as shapes from '../validation/shapes.js';
import { runTransaction, type PreparedTransactWrite } from './transactions.js';
import { requireTable, tableId, validate, type DynamoDeps, type Input } from './support.js';

/**
 * PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction. Statements are parsed by the
 * service's own parser (partiql/parser.ts) into the core's conditions and update actions; a SELECT
 * with the partition key reads one partition, any other reads the table in key order.
 */

function parse(text: string, parameters: AttributeValue[] | undefined): Statement {
  for (const value of parameters ?? []) {
    const message = validateAttributeValue(value);
    if (message !== undefined) throw validationError(message);
  }
  try {
    return parseStatement(text, parameters ?? []);
  } catch (e) {
    if (e instanceof PartiqlError) {
      if (/parameters/.test(e.message)) throw validationError(e.message);
      throw validationError(`Statement wasn't well formed, can't be processed: ${e.message}`);
    }
    throw e;
  }
}

/** The conjuncts of a condition joined by AND. */
function conjuncts(condition: Condition | undefined): Condition[] {
  if (!condition) return [];
  if (condition.kind === 'and') return [...conjuncts(condition.left), ...conjuncts(condition.right)];
  return [condition];
}

/** `attr = value` (either way round) on a top-level attribute: its name and value. */
function equality(condition: Condition): { name: string; value: AttributeValue } | undefined {
  if (condition.kind !== 'compare' || condition.operator !== '=') return undefined;
  const { left, right } = condition;
  if (left.kind === 'path' && left.path.length === 1 && right.kind === 'value') return { name: left.path[0] as string, value: right.value };
  if (right.kind === 'path' && right.path.length === 1 && left.kind === 'value') return { name: right.path[0] as string, value: left.value };
  return undefined;
}

function join(conditions: Condition[]): Condition | undefined {
  return conditions.reduce<Condition | undefined>((left, right) => (left ? { kind: 'and', left, right } : right), undefined);
}

/** The full primary key a write's WHERE names, and the rest of the WHERE as a condition. */
function keyFromWhere(model: TableModel, where: Condition | undefined): { key: Item; rest: Condition[] } {
  const key: Item = {};
  const rest: Condition[] = [];
  for (const condition of conjuncts(where)) {
    const eq = equality(condition);
    if (eq && model.keys.some((k) => k.name === eq.name) && key[eq.name] === undefined) key[eq.name] = eq.value;
    else rest.push(condition);
  }
  if (model.keys.some((k) => key[k.name] === undefined)) {
    throw validationError('Where clause does not contain a mandatory equality on all key attributes');
  }
  const problem = keyProblem(model, key);
  if (problem !== undefined) throw validationError(problem);
  return { key, rest };
}

const RETURN_VALUES: Record<string, string> = { ALL_OLD: 'ALL_OLD', MODIFIED_OLD: 'UPDATED_OLD', ALL_NEW: 'ALL_NEW', MODIFIED_NEW: 'UPDATED_NEW' };

function encodeToken(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64');
}

function decodeToken(token: string): Item {
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Item;
  } catch {
    throw validationError('Invalid NextToken');
  }
}

export function partiqlOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  async function select(ctx: CallContext, statement: Extract<Statement, { kind: 'select' }>, limit?: number, nextToken?: string): Promise<Input> {
    const model = await requireTable(deps, ctx, statement.table);
    const index = statement.index ? findIndex(model, statement.index) : undefined;
    if (statement.index && !index) throw validationError(`The table does not have the specified index: ${statement.index}`);
    const hash = index ? index.hash : model.hash;
    const partition = conjuncts(statement.where)
      .map(equality)
      .find((eq) => eq?.name === hash.name && eq.value[hash.type] !== undefined);
    // ORDER BY the sort key (of the table or index read), in a partition: the order a Query reads in.
    const orderBy = statement.orderBy;
    if (orderBy) {
      const range = index ? index.range : model.range;
      const named = orderBy.path.length === 1 && typeof orderBy.path[0] === 'string' ? orderBy.path[0] : undefined;
      if (!partition) throw validationError('Must have WHERE clause in the statement when using ORDER BY clause.');
      if (!range || named !== range.name) throw validationError('Variable reference in ORDER BY clause must be part of the primary key');
    }
    const id = tableId(ctx, model.record.name);
    const items: Item[] = [];
    let start = nextToken ? decodeToken(nextToken) : undefined;
    let lastKey: Item | undefined;
    const startKeyNames = index ? index.startKeyNames : model.keys.map((k) => k.name);
    for (;;) {
      const page = await store.readPage(id, { index: index?.name, partition: partition?.value, exclusiveStart: start, forward: !orderBy?.descending, limit });
      for (const full of page.items) {
        const item = index && index.global ? projectForIndex(index, full) : full;
        if (statement.where && !evaluateCondition(statement.where, item)) continue;
        items.push(statement.projection ? project(item, statement.projection) : item);
      }
      if (!page.truncated || page.items.length === 0) {
        lastKey = undefined;
        break;
      }
      const last = page.items[page.items.length - 1];
      lastKey = {};
      for (const name of startKeyNames) if (last[name] !== undefined) lastKey[name] = last[name];
      if (limit !== undefined) break;
      start = lastKey;
      if (items.length > 0) break;
    }
    const out: Input = { Items: items };
    if (lastKey) {
      out.NextToken = encodeToken(lastKey);
      out.LastEvaluatedKey = lastKey;
    }
    return out;
  }

  /** A write statement as a transaction item (and what it needs afterwards). */
  async function prepareWrite(ctx: CallContext, statement: Exclude<Statement, { kind: 'select' }>): Promise<PreparedTransactWrite & { statement: Statement }> {
    const model = await requireTable(deps, ctx, statement.table);
    switch (statement.kind) {
      case 'insert': {
        const item = statement.item;
        const message = validateAttributeMap(item);
        if (message !== undefined) throw validationError(message);
        checkItem(model, item);
        if (itemSize(item) > MAX_ITEM_SIZE) throw validationError('Item size has exceeded the maximum allowed size');
        const condition: Condition = { kind: 'attribute_not_exists', path: [model.hash.name] };
        return { model, op: { kind: 'put', item, condition }, returnOldOnFailure: false, statement };
      }
      case 'update': {
        const { key, rest } = keyFromWhere(model, statement.where);
        for (const action of statement.actions) {
          if (model.keys.some((k) => k.name === action.path[0])) {
            throw validationError(`One or more parameter values were invalid: Cannot update attribute ${String(action.path[0])}. This attribute is part of the key`);
          }
        }
        const condition = join([{ kind: 'attribute_exists', path: [model.hash.name] }, ...rest])!;
        return { model, op: { kind: 'update', key, plan: { actions: statement.actions, nestedPathHeads: new Set(), legacy: false }, condition }, returnOldOnFailure: false, statement };
      }
      case 'delete': {
        const { key, rest } = keyFromWhere(model, statement.where);
        const condition = rest.length > 0 ? join([{ kind: 'attribute_exists', path: [model.hash.name] }, ...rest]) : undefined;
        return { model, op: { kind: 'delete', key, condition }, returnOldOnFailure: false, statement };
      }
    }
  }

  async function execute(ctx: CallContext, statement: Statement, input: Input): Promise<Input> {
    if (statement.kind === 'select') return select(ctx, statement, input.Limit, input.NextToken);
    const write = await prepareWrite(ctx, statement);
    const outcome = await store.write(tableId(ctx, write.model.record.name), write.op, clock.now());
    if (!outcome.ok) {
      if (statement.kind === 'insert') throw duplicateItem();
      throw conditionalCheckFailed(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? outcome.old : undefined);
    }
    const returning = statement.kind === 'update' || statement.kind === 'delete' ? statement.returning : undefined;
    const mode = returning ? RETURN_VALUES[returning] : undefined;
    if (!mode) return { Items: [] };
    const plan = write.op.kind === 'update' ? write.op.plan : undefined;
    let attributes: Item | undefined;
    if (mode === 'ALL_OLD') attributes = outcome.old;
    else if (mode === 'ALL_NEW') attributes = outcome.new;
    else if (plan) attributes = (mode === 'UPDATED_OLD' ? outcome.old : outcome.new) && project((mode === 'UPDATED_OLD' ? outcome.old : outcome.new)!, plan.actions.map((a) => a.path));
    return { Items: attributes ? [attributes] : [] };
  }

  /** A SELECT of one item by its full key (what batches and read transactions allow). */
  async function selectOne(ctx: CallContext, statement: Extract<Statement, { kind: 'select' }>): Promise<{ model: TableModel; item?: Item }> {
    const model = await requireTable(deps, ctx, statement.table);
    const { key, rest } = keyFromWhere(model, statement.where);
    const found = await store.getItem(tableId(ctx, model.record.name), key);
    const item = found && rest.every((c) => evaluateCondition(c, found)) ? found : undefined;
    return { model, item: item && statement.projection ? project(item, statement.projection) : item };
  }

  return {
    async ExecuteStatement(input: Input, ctx: CallContext) {
      validate(shapes.ExecuteStatement, input);
      return execute(ctx, parse(input.Statement, input.Parameters), input);
    },

    async BatchExecuteStatement(input: Input, ctx: CallContext) {
      validate(shapes.BatchExecuteStatement, input);
      const statements = (input.Statements as Input[]).map((s) => ({ request: s, statement: parse(s.Statement, s.Parameters) }));
      const kinds = new Set(statements.map((s) => (s.statement.kind === 'select' ? 'read' : 'write')));
      if (kinds.size > 1) throw validationError('Supported operations: all reads or all writes in one batch');
      const responses: Input[] = [];
      for (const { request, statement } of statements) {
        try {
          if (statement.kind === 'select') {
            const { model, item } = await selectOne(ctx, statement);
            responses.push(item ? { TableName: model.record.name, Item: item } : { TableName: model.record.name });
          } else {
            await execute(ctx, statement, request);
            responses.push({ TableName: statement.table });
          }
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          const code = e.code === 'ConditionalCheckFailedException' ? 'ConditionalCheckFailed' : e.code === 'DuplicateItemException' ? 'DuplicateItem' : e.code.replace(/Exception$/, '');
          responses.push({ TableName: statement.table, Error: { Code: code, Message: e.message } });
        }
      }
      return { Responses: responses };
    },

    async ExecuteTransaction(input: Input, ctx: CallContext) {
      validate(shapes.ExecuteTransaction, input);
      const statements = (input.TransactStatements as Input[]).map((s) => parse(s.Statement, s.Parameters));
      if (statements.every((s) => s.kind === 'select')) {
        const responses: Input[] = [];
        for (const statement of statements) {
          const { item } = await selectOne(ctx, statement as Extract<Statement, { kind: 'select' }>);
          responses.push(item ? { Item: item } : {});
        }
        return { Responses: responses };
      }
      if (statements.some((s) => s.kind === 'select')) throw validationError('Transactions can only contain all reads or all writes');
      const writes: PreparedTransactWrite[] = [];
      for (const statement of statements) writes.push(await prepareWrite(ctx, statement as Exclude<Statement, { kind: 'select' }>));
      await runTransaction(deps, ctx, writes);
      return { Responses: [] };
    },
  };
}

