import { randomBytes } from 'node:crypto';
import { asciiPrefixRange, connectWithScripts, unlinkMatching, type LuaScript, type Redis, type ScriptArg } from '@stratus/shared/redis';
import { AwsError } from '@stratus/shared';
import {
  compileTable,
  projectForIndex,
  STREAM_RETENTION_MS,
  tableKey,
  type StreamRecord,
  type StreamViewType,
  type TableId,
  type TableModel,
  type TableRecord,
} from '../model.js';
import { PAGE_LIMIT_BYTES, pageSize } from '../page-size.js';
import { getAttribute, type Item } from '../values/attribute-value.js';
import { itemSize } from '../values/size.js';
import { sequenceNumber, shardIdOf, type StreamMeta } from './memory-state.js';
import {
  ALL_KEYS_PATTERN,
  NO_KEY,
  SEQUENCE,
  STREAMS,
  TABLES,
  TOKENS,
  TOKEN_EXPIRY,
  TTL_TABLES,
  dataKey,
  dataKeys,
  entryMember,
  indexKey,
  itemMember,
  pageBounds,
  streamKey,
  streamMember,
  streamRecordsKey,
  tableHashKey,
} from './redis-keys.js';
import { SCRIPTS, type ScriptName } from './redis-scripts.js';
import {
  TableMissingError,
  type DynamoDbDump,
  type DynamoStore,
  type IdempotentEntry,
  type PageRequest,
  type PageResult,
  type RecordsRead,
  type StreamSummary,
  type TableStats,
  type TransactFailure,
  type TransactOp,
  type TransactOutcome,
  type WriteOp,
  type WriteOutcome,
} from './types.js';
import { decideWrite, dumpedStream, sealStreamRecord, streamRecordOf } from './write-rules.js';

/**
 * The DynamoStore shared by N DynamoDB replicas through one Redis (keys: redis-keys.ts, scripts:
 * redis-scripts.ts).
 *
 * Why optimistic concurrency rather than evaluating in Lua: conditions, update expressions and their
 * validation errors are DynamoDB's whole expression language with exact decimal arithmetic (decimal.js),
 * already written and tested once in TypeScript (expressions/, item-rules.ts). Porting it to Lua would
 * be a second implementation to keep identical, with Lua's doubles in the way. So a write reads the
 * item and its version in one script, decides in TypeScript exactly as the memory store does
 * (decideWrite), and commits in a second script that writes only if the version is unchanged; on a
 * conflict it reads again. A transaction reads every item in one script and commits all of them in one
 * script that checks every version first, so it is all or nothing, and never interleaves with another
 * write to its items. Stream records are appended by the commit script, ordinals from one store-wide
 * counter. Each item has a version from a per-table counter, never reused, so a read-decide-commit
 * cannot miss a change (no ABA). A failed condition is answered from the read's snapshot.
 *
 * Round trips: GetItem one script. PutItem and DeleteItem without condition on a table without stream
 * one (a blind write: the script swaps the item and returns the old one); otherwise two. The table
 * record (key schema, indexes, stream, TTL) is cached per process as a hint; every script checks the
 * table's id and rev and answers 'stale' when it changed, and the store refreshes and runs again.
 *
 * Index entries, placement order, sizes and the TTL instant of an item are computed here (they need MD5
 * and DynamoDB's number encoding) and passed to the commit script, which also keeps, per item, what it
 * must undo when the item changes next (its meta). Adding an index or changing the TTL attribute
 * rewrites every item's derived entries after the table record changed (`reindex`, each item under its
 * version): from the record change on, every write keeps the new index, and the pass covers the rest.
 */

type Arg = ScriptArg;
type Reply = unknown[];

/** Items more than this far past their time to live stay (as in the memory store and AWS). */
const TTL_LOOKBACK_MS = 5 * 365 * 24 * 60 * 60 * 1000;
/** A write that meets this many conflicts in a row gives up (it should never happen). */
const MAX_ATTEMPTS = 10_000;

/** A table as this process last saw it: a hint every script confirms. */
interface TableEntry {
  readonly tableId: TableId;
  readonly key: string;
  readonly hashKey: string;
  readonly id: string;
  readonly rev: string;
  readonly record: TableRecord;
  readonly model: TableModel;
  /** Index name -> token (redis-keys.ts). */
  readonly tokens: Readonly<Record<string, string>>;
  /** The token of each index, by its position in model.indexes. */
  readonly tokenList: readonly string[];
  /** The stream written to, when the table has an enabled one. */
  readonly streamArn?: string;
}

/** What a write makes of an item besides its JSON: sizes, index entries, TTL instant. */
interface Derived {
  json: string;
  size: number;
  page: number;
  ttl: string;
  entries: { index: number; member: string; size: number; page: number }[];
}

interface PendingWrite {
  /** Position of its table in the commit's tables. */
  table: number;
  kind: 'put' | 'del' | 'check' | 'reindex';
  member: string;
  /** The version read ('0': no item), or '*' for a blind write. */
  expect: string;
  derived?: Derived;
  record?: StreamRecord;
}

interface ItemRead {
  item?: Item;
  version: string;
}

export class RedisDynamoStore implements DynamoStore {
  private readonly tables = new Map<string, TableEntry>();
  private readonly listeners: ((arn: string, record: StreamRecord) => void)[] = [];

  private constructor(
    private readonly redis: Redis,
    private readonly scripts: Record<ScriptName, LuaScript>,
  ) {}

  static async connect(url: string): Promise<RedisDynamoStore> {
    const { redis, scripts } = await connectWithScripts(url, SCRIPTS);
    return new RedisDynamoStore(redis, scripts);
  }

  // ---- tables ----

  async createTable(record: TableRecord): Promise<boolean> {
    const key = tableKey(record);
    const model = compileTable(record);
    const tokens: Record<string, string> = {};
    for (const index of model.indexes) tokens[index.name] = newToken();
    const stream = streamArgs(record);
    const keys = [tableHashKey(key), TABLES, TTL_TABLES, stream.key, STREAMS, SEQUENCE];
    const args = [key, record.id, JSON.stringify(record), JSON.stringify(tokens), model.ttlAttribute !== undefined ? 1 : 0, ...stream.args];
    if ((await this.run('ddbCreateTable', keys, args)) !== 1) return false;
    this.remember(record, record.id, '1', record, tokens);
    return true;
  }

  async getTable(id: TableId): Promise<TableRecord | undefined> {
    return (await this.fetch(id))?.record;
  }

  async replaceTable(record: TableRecord): Promise<void> {
    for (;;) {
      const current = await this.table(record);
      if (current.id !== record.id) throw new TableMissingError(record.name);
      const model = compileTable(record);
      const tokens: Record<string, string> = {};
      let added = false;
      for (const index of model.indexes) {
        const kept = Object.prototype.hasOwnProperty.call(current.tokens, index.name) ? current.tokens[index.name] : undefined;
        tokens[index.name] = kept ?? newToken();
        if (kept === undefined) added = true;
      }
      const removed = Object.entries(current.tokens)
        .filter(([name]) => !Object.prototype.hasOwnProperty.call(tokens, name))
        .map(([, token]) => token);
      const stream = streamArgs(record);
      const keys = [current.hashKey, TTL_TABLES, stream.key, STREAMS, SEQUENCE, dataKey(record.id, 'n'), ...removed.map((t) => indexKey(record.id, t))];
      const args = [
        current.key,
        record.id,
        current.rev,
        JSON.stringify(record),
        JSON.stringify(tokens),
        model.ttlAttribute !== undefined ? 1 : 0,
        ...stream.args,
        ...removed,
      ];
      const reply = (await this.run('ddbReplaceTable', keys, args)) as Reply;
      if (reply[0] === 'missing') {
        this.tables.delete(current.key);
        throw new TableMissingError(record.name);
      }
      if (reply[0] === 'stale') {
        await this.fetch(record);
        continue;
      }
      const entry = this.remember(record, record.id, String(reply[1]), record, tokens);
      if (added || current.model.ttlAttribute !== entry.model.ttlAttribute) await this.reindex(entry);
      return;
    }
  }

  async deleteTable(id: TableId, now: number): Promise<TableRecord | undefined> {
    for (;;) {
      const current = await this.fetch(id);
      if (!current) return undefined;
      const stream = current.record.stream ? streamKey(current.record.stream.arn) : NO_KEY;
      const reply = (await this.run('ddbDeleteTable', [current.hashKey, TABLES, TTL_TABLES, stream], [current.key, current.id, current.rev, now])) as Reply;
      if (reply[0] === 'stale') continue;
      this.tables.delete(current.key);
      if (reply[0] === 'missing') return undefined;
      const tokens = JSON.parse(String(reply[2])) as Record<string, string>;
      await this.redis.unlink(...dataKeys(current.id, Object.values(tokens)));
      return JSON.parse(String(reply[1])) as TableRecord;
    }
  }

  async listTables(account: string, region: string): Promise<string[]> {
    const base = `${account}/${region}/`;
    const keys = await this.redis.zrangebylex(TABLES, ...asciiPrefixRange(base));
    return keys.map((k) => k.slice(base.length));
  }

  async tableStats(id: TableId): Promise<TableStats> {
    for (;;) {
      const t = await this.table(id);
      const reply = (await this.run('ddbTableStats', [t.hashKey, dataKey(t.id, 'n')], [t.id])) as Reply;
      if (await this.settle(reply, [t])) continue;
      if (String(reply[1]) !== t.rev) {
        // Another replica changed the table: its indexes may differ from ours.
        await this.fetch(id);
        continue;
      }
      const counters = toObject(reply[2] as string[]);
      const count = (field: string) => Number(counters[field] ?? 0);
      const indexes: TableStats['indexes'] = {};
      t.model.indexes.forEach((index, i) => {
        const token = t.tokenList[i];
        indexes[index.name] = { itemCount: count(`${token}:c`), sizeBytes: count(`${token}:b`) };
      });
      return { itemCount: count('c'), sizeBytes: count('b'), indexes };
    }
  }

  // ---- items ----

  async getItem(id: TableId, key: Item): Promise<Item | undefined> {
    for (;;) {
      const t = await this.table(id);
      const read = await this.readItems([t], [[0, itemMember(t.model, key)]]);
      if (read) return read[0].item;
    }
  }

  async write(id: TableId, op: WriteOp, now: number): Promise<WriteOutcome> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const t = await this.table(id);
      const member = itemMember(t.model, op.kind === 'put' ? op.item : op.key);
      if ((op.kind === 'put' || op.kind === 'delete') && op.condition === undefined && t.streamArn === undefined) {
        // A blind write: nothing to decide, and no stream record to build from the item before it.
        const write: PendingWrite =
          op.kind === 'put'
            ? { table: 0, kind: 'put', member, expect: '*', derived: this.derive(t, op.item, member) }
            : { table: 0, kind: 'del', member, expect: '*' };
        const reply = await this.commit('all', [t], [write]);
        if (await this.settle(reply, [t])) continue;
        const old = parseItem(reply[3]);
        return op.kind === 'put' ? { ok: true, old, new: op.item } : { ok: true, old };
      }
      const read = await this.readItems([t], [[0, member]]);
      if (!read) continue;
      const { item: old, version } = read[0];
      const outcome = decideWrite(t.model, op, old);
      if (!outcome.ok || op.kind === 'check' || (old === undefined && outcome.new === undefined)) return outcome;
      const write = this.pending(t, 0, member, version, outcome, now);
      const reply = await this.commit('all', [t], [write]);
      if (await this.settle(reply, [t])) continue;
      this.announce([t], [write], reply);
      return outcome;
    }
  }

  async transactWrite(ops: readonly TransactOp[], now: number): Promise<TransactOutcome> {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const tables: TableEntry[] = [];
      const positions = new Map<string, number>();
      const tableOf: number[] = [];
      for (const op of ops) {
        const key = tableKey(op.table);
        let position = positions.get(key);
        if (position === undefined) {
          position = tables.length;
          tables.push(await this.table(op.table));
          positions.set(key, position);
        }
        tableOf.push(position);
      }
      const members = ops.map((op, i) => itemMember(tables[tableOf[i]].model, op.op.kind === 'put' ? op.op.item : op.op.key));
      const read = await this.readItems(
        tables,
        members.map((member, i) => [tableOf[i], member]),
      );
      if (!read) continue;

      const outcomes: WriteOutcome[] = [];
      const failures: (TransactFailure | undefined)[] = [];
      let failed = false;
      ops.forEach((op, i) => {
        try {
          const outcome = decideWrite(tables[tableOf[i]].model, op.op, read[i].item);
          outcomes.push(outcome);
          if (outcome.ok) failures.push(undefined);
          else {
            failures.push({ code: 'ConditionalCheckFailed', old: outcome.old });
            failed = true;
          }
        } catch (e) {
          if (!(e instanceof AwsError) || e.code !== 'ValidationException') throw e;
          outcomes.push({ ok: false });
          failures.push({ code: 'ValidationError', message: e.message });
          failed = true;
        }
      });
      if (failed) return { ok: false, failures };

      const writes = ops.map((op, i) =>
        op.op.kind === 'check'
          ? ({ table: tableOf[i], kind: 'check', member: members[i], expect: read[i].version } satisfies PendingWrite)
          : this.pending(tables[tableOf[i]], tableOf[i], members[i], read[i].version, outcomes[i], now),
      );
      const reply = await this.commit('all', tables, writes);
      if (await this.settle(reply, tables)) continue;
      this.announce(tables, writes, reply);
      return { ok: true, outcomes };
    }
  }

  async readPage(id: TableId, request: PageRequest): Promise<PageResult> {
    for (;;) {
      const t = await this.table(id);
      let zset = dataKey(t.id, 'o');
      let token = '';
      let ranged = false;
      const index = request.index === undefined ? undefined : t.model.indexes.find((candidate) => candidate.name === request.index);
      if (request.index !== undefined) {
        if (!index) return { items: [], truncated: false };
        token = t.tokens[index.name];
        zset = indexKey(t.id, token);
        ranged = index.range !== undefined;
      }
      const { min, max } = pageBounds(t.model, index, request);
      const keys = [t.hashKey, dataKey(t.id, 'i'), dataKey(t.id, 'm'), zset];
      const args = [t.id, token, ranged ? 1 : 0, min[0], min[1], max[0], max[1], request.forward ? 0 : 1, request.limit ?? -1, PAGE_LIMIT_BYTES];
      const reply = (await this.run('ddbReadPage', keys, args)) as Reply;
      if (await this.settle(reply, [t])) continue;
      return { items: (reply.slice(2) as string[]).map((json) => JSON.parse(json) as Item), truncated: reply[1] === 1 };
    }
  }

  // ---- idempotency ----

  async claimToken(scope: string, token: string, entry: IdempotentEntry, now: number): Promise<IdempotentEntry | undefined> {
    const reply = (await this.run('ddbClaimToken', [TOKENS, TOKEN_EXPIRY], [`${scope}\u0000${token}`, entry.fingerprint, entry.expiresAt, now])) as string | null;
    if (reply === null) return undefined;
    const sep = reply.indexOf(':');
    return { fingerprint: reply.slice(sep + 1), expiresAt: Number(reply.slice(0, sep)) };
  }

  // ---- time to live ----

  async expireItems(now: number): Promise<number> {
    let expired = 0;
    for (const key of await this.redis.smembers(TTL_TABLES)) {
      const [account, region, ...name] = key.split('/');
      let t = await this.fetch({ account, region, name: name.join('/') });
      while (t && t.model.ttlAttribute !== undefined) {
        const members = await this.redis.zrangebyscore(dataKey(t.id, 'e'), now - TTL_LOOKBACK_MS, now, 'LIMIT', 0, 100);
        if (members.length === 0) break;
        const read = await this.readItems(
          [t],
          members.map((member) => [0, member]),
        );
        if (!read) {
          t = this.tables.get(t.key);
          continue;
        }
        const writes: PendingWrite[] = [];
        read.forEach(({ item, version }, i) => {
          if (item === undefined) return;
          const at = ttlOf(t!.model, item);
          if (at === undefined || at > now || at < now - TTL_LOOKBACK_MS) return;
          writes.push({ table: 0, kind: 'del', member: members[i], expect: version, record: streamRecordOf(t!.model, item, undefined, now, true) });
        });
        if (writes.length === 0) break;
        const reply = await this.commit('each', [t], writes);
        if (await this.settle(reply, [t])) {
          t = this.tables.get(t.key);
          continue;
        }
        const done = writes.filter((_, i) => reply[1 + 3 * i] === 1).length;
        this.announce([t], writes, reply);
        expired += done;
        // Writes that met a conflict are looked at again; a batch that deleted nothing ends the table.
        if (done === 0) break;
      }
    }
    return expired;
  }

  // ---- streams ----

  async listStreams(account: string, region: string, now: number): Promise<StreamSummary[]> {
    const base = `${account}/${region}/`;
    const members = await this.redis.zrangebylex(STREAMS, ...asciiPrefixRange(base));
    const summaries = await Promise.all(members.map((member) => this.streamSummary(member.slice(base.length), now, member)));
    return summaries.filter((s): s is StreamSummary => s !== undefined);
  }

  async getStream(arn: string, now: number): Promise<StreamSummary | undefined> {
    return this.streamSummary(arn, now);
  }

  async readStream(arn: string, from: bigint, limit: number, now: number): Promise<RecordsRead> {
    const reply = (await this.run('ddbReadStream', [streamKey(arn), streamRecordsKey(arn)], [now - STREAM_RETENTION_MS, from.toString(), limit])) as string[] | null;
    if (!reply || reply.length === 0) return { records: [], next: from };
    let last = from;
    const records = reply.map((member) => {
      const ordinalEnd = member.indexOf(':');
      const timeEnd = member.indexOf(':', ordinalEnd + 1);
      last = BigInt(member.slice(0, ordinalEnd));
      return sealStreamRecord(JSON.parse(member.slice(timeEnd + 1)) as StreamRecord, arn, last);
    });
    return { records, next: last + 1n };
  }

  onStreamRecord(listener: (streamArn: string, record: StreamRecord) => void): void {
    this.listeners.push(listener);
  }

  // ---- admin ----

  async reset(account?: string): Promise<void> {
    this.tables.clear();
    if (account === undefined) {
      await unlinkMatching(this.redis, ALL_KEYS_PATTERN);
      return;
    }
    const tableKeys = await this.redis.zrangebylex(TABLES, ...asciiPrefixRange(`${account}/`));
    for (const key of tableKeys) {
      const [id, ix] = await this.redis.hmget(tableHashKey(key), 'id', 'ix');
      const forget = this.redis.multi().del(tableHashKey(key)).zrem(TABLES, key).srem(TTL_TABLES, key);
      if (id !== null) forget.unlink(...dataKeys(id, Object.values(JSON.parse(ix ?? '{}') as Record<string, string>)));
      await forget.exec();
    }
    const streams = await this.redis.zrangebylex(STREAMS, ...asciiPrefixRange(`${account}/`));
    for (const member of streams) {
      const arn = streamArnOf(member);
      await this.redis.multi().unlink(streamKey(arn), streamRecordsKey(arn)).zrem(STREAMS, member).exec();
    }
  }

  async dump(now: number): Promise<DynamoDbDump> {
    const tables: unknown[] = [];
    for (const key of await this.redis.zrange(TABLES, 0, -1)) {
      const [account, region, ...name] = key.split('/');
      const id = { account, region, name: name.join('/') };
      const t = await this.fetch(id);
      if (!t) continue;
      try {
        const stats = await this.tableStats(id);
        const page = await this.readPage(id, { forward: true, limit: 100 });
        const record = t.record;
        tables.push({
          account: record.account,
          region: record.region,
          name: record.name,
          arn: record.arn,
          keySchema: record.keySchema,
          itemCount: stats.itemCount,
          sizeBytes: stats.sizeBytes,
          indexes: t.model.indexes.map((index) => ({ name: index.name, itemCount: stats.indexes[index.name].itemCount })),
          stream: record.stream,
          ttl: record.ttl,
          items: page.items,
        });
      } catch (e) {
        if (!(e instanceof TableMissingError)) throw e;
      }
    }
    const members = await this.redis.zrange(STREAMS, 0, -1);
    const streams = await Promise.all(members.map((member) => this.streamSummary(streamArnOf(member), now)));
    return { tables, streams: streams.filter((s) => s !== undefined).map(dumpedStream) };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  // ---- internals: tables ----

  private async run(name: ScriptName, keys: readonly string[], args: readonly Arg[]): Promise<unknown> {
    return this.scripts[name].call(this.redis, keys.length, ...keys, ...args);
  }

  /** The table as last seen (a hint the scripts confirm), or as Redis has it now. */
  private async table(id: TableId): Promise<TableEntry> {
    const t = this.tables.get(tableKey(id)) ?? (await this.fetch(id));
    if (!t) throw new TableMissingError(id.name);
    return t;
  }

  /** The table as Redis has it now (one script; the record travels only when it changed). */
  private async fetch(id: TableId): Promise<TableEntry | undefined> {
    const key = tableKey(id);
    const cached = this.tables.get(key);
    const reply = (await this.run('ddbGetTable', [tableHashKey(key)], [cached?.id ?? '', cached?.rev ?? ''])) as string[] | null;
    if (!reply) {
      this.tables.delete(key);
      return undefined;
    }
    if (reply.length === 2 && cached) return cached;
    return this.remember(id, reply[0], reply[1], JSON.parse(reply[2]) as TableRecord, JSON.parse(reply[3]) as Record<string, string>);
  }

  private remember(id: TableId, uuid: string, rev: string, record: TableRecord, tokens: Record<string, string>): TableEntry {
    const key = tableKey(id);
    const model = compileTable(record);
    const entry: TableEntry = {
      tableId: { account: id.account, region: id.region, name: id.name },
      key,
      hashKey: tableHashKey(key),
      id: uuid,
      rev,
      record,
      model,
      tokens,
      tokenList: model.indexes.map((index) => tokens[index.name]),
      streamArn: model.streamViewType !== undefined ? record.stream?.arn : undefined,
    };
    this.tables.set(key, entry);
    return entry;
  }

  /**
   * Handles a script's answer about its tables: 'missing' throws TableMissingError, 'stale' refreshes
   * the table, and both 'stale' and 'conflict' ask for the step to run again (true).
   */
  private async settle(reply: Reply, tables: readonly TableEntry[]): Promise<boolean> {
    switch (reply[0]) {
      case 'ok':
        return false;
      case 'conflict':
        return true;
      case 'missing':
      case 'stale': {
        const t = tables[(Number(reply[1]) || 1) - 1];
        if (!(await this.fetch(t.tableId))) throw new TableMissingError(t.tableId.name);
        return true;
      }
      default:
        throw new Error(`dynamodb redis store: unexpected script reply ${String(reply[0])}`);
    }
  }

  /**
   * Rewrites every item's index entries and TTL entry under the table's current record, each under
   * its version (an item written meanwhile was written under the new record already).
   */
  private async reindex(entry: TableEntry): Promise<void> {
    let t: TableEntry | undefined = entry;
    let after = '-';
    while (t) {
      const members = await this.redis.zrangebylex(dataKey(t.id, 'o'), after, '+', 'LIMIT', 0, 256);
      if (members.length === 0) return;
      const read = await this.readItems(
        [t],
        members.map((member) => [0, member]),
      ).catch(missingAsUndefined);
      if (!read) {
        t = this.tables.get(t.key);
        if (t && t.id !== entry.id) return;
        continue;
      }
      const writes: PendingWrite[] = [];
      read.forEach(({ item, version }, i) => {
        if (item !== undefined) writes.push({ table: 0, kind: 'reindex', member: members[i], expect: version, derived: this.derive(t!, item, members[i]) });
      });
      const reply = await this.commit('each', [t], writes);
      if (await this.settle(reply, [t]).catch(missingAsTrue)) {
        t = this.tables.get(t.key);
        if (t && t.id !== entry.id) return;
        continue;
      }
      after = `(${members[members.length - 1]}`;
    }
  }

  // ---- internals: items ----

  /** Items with their versions, in one step; undefined when a table was stale (refreshed: read again). */
  private async readItems(tables: readonly TableEntry[], items: readonly (readonly [table: number, member: string])[]): Promise<ItemRead[] | undefined> {
    const keys = tables.flatMap((t) => [t.hashKey, dataKey(t.id, 'i'), dataKey(t.id, 'm')]);
    const args: Arg[] = [tables.length, ...tables.flatMap((t) => [t.id, t.rev])];
    for (const [table, member] of items) args.push(table + 1, member);
    const reply = (await this.run('ddbReadItems', keys, args)) as Reply;
    if (await this.settle(reply, tables)) return undefined;
    return items.map((_, i) => ({ item: parseItem(reply[1 + 2 * i]), version: String(reply[2 + 2 * i]) }));
  }

  /** The commit of a decided write: put or delete under the version read, with its stream record. */
  private pending(t: TableEntry, table: number, member: string, version: string, outcome: WriteOutcome, now: number): PendingWrite {
    const record = streamRecordOf(t.model, outcome.old, outcome.new, now, false);
    if (outcome.new !== undefined) return { table, kind: 'put', member, expect: version, derived: this.derive(t, outcome.new, member), record };
    // Deleting nothing still checks that nothing is there (a transaction must not interleave with its creation).
    return { table, kind: outcome.old === undefined ? 'check' : 'del', member, expect: version, record };
  }

  private derive(t: TableEntry, item: Item, member: string): Derived {
    const model = t.model;
    const sortKey = model.range?.name;
    const size = itemSize(item);
    const page = pageSize(item, sortKey);
    const entries: Derived['entries'] = [];
    model.indexes.forEach((index, position) => {
      const entry = entryMember(model, index, item, member);
      if (entry === undefined) return;
      const projected = projectForIndex(index, item);
      entries.push({
        index: position,
        member: entry,
        size: projected === item ? size : itemSize(projected),
        page: projected === item ? page : pageSize(projected, sortKey),
      });
    });
    const at = ttlOf(model, item);
    return { json: JSON.stringify(item), size, page, ttl: at === undefined ? '' : String(at), entries };
  }

  private async commit(mode: 'all' | 'each', tables: readonly TableEntry[], writes: readonly PendingWrite[]): Promise<Reply> {
    const keys: string[] = [SEQUENCE];
    const args: Arg[] = [mode, tables.length];
    for (const t of tables) {
      args.push(keys.length + 1, t.id, t.rev, t.tokenList.length, ...t.tokenList);
      keys.push(
        t.hashKey,
        dataKey(t.id, 'i'),
        dataKey(t.id, 'm'),
        dataKey(t.id, 'o'),
        dataKey(t.id, 'n'),
        dataKey(t.id, 'e'),
        t.streamArn !== undefined ? streamRecordsKey(t.streamArn) : NO_KEY,
        ...t.tokenList.map((token) => indexKey(t.id, token)),
      );
    }
    args.push(writes.length);
    for (const w of writes) {
      args.push(w.table + 1, w.kind, w.member, w.expect);
      if (w.kind === 'put' || w.kind === 'reindex') {
        const d = w.derived!;
        args.push(w.kind === 'put' ? d.json : '', d.size, d.page, d.ttl, d.entries.length);
        for (const e of d.entries) args.push(e.index + 1, e.member, e.size, e.page);
      }
      if (w.record) args.push(w.record.dynamodb.ApproximateCreationDateTime, JSON.stringify(w.record));
      else args.push('');
    }
    return (await this.run('ddbCommit', keys, args)) as Reply;
  }

  /** Tells listeners of the stream records a commit appended. */
  private announce(tables: readonly TableEntry[], writes: readonly PendingWrite[], reply: Reply): void {
    writes.forEach((w, i) => {
      const ordinal = Number(reply[2 + 3 * i]);
      const arn = tables[w.table].streamArn;
      if (!w.record || ordinal === 0 || arn === undefined) return;
      const record = sealStreamRecord(w.record, arn, BigInt(ordinal));
      for (const listener of this.listeners) listener(arn, record);
    });
  }

  // ---- internals: streams ----

  private async streamSummary(arn: string, now: number, purgeMember?: string): Promise<StreamSummary | undefined> {
    const member = purgeMember ?? '';
    const keys = [streamKey(arn), streamRecordsKey(arn), STREAMS, SEQUENCE];
    const args = [now - STREAM_RETENTION_MS, purgeMember !== undefined ? now - STREAM_RETENTION_MS : '', member];
    const reply = (await this.run('ddbStreamInfo', keys, args)) as [string, string, string | null, string | null, string | null, string] | null;
    if (!reply) return undefined;
    const [metaJson, start, closed, first, last, seq] = reply;
    const meta = JSON.parse(metaJson) as StreamMeta;
    const closedAt = closed === null ? undefined : Number(closed);
    return {
      arn: meta.arn,
      label: meta.label,
      tableName: meta.tableName,
      account: meta.account,
      region: meta.region,
      viewType: meta.viewType,
      enabled: closedAt === undefined,
      createdAt: meta.createdAt,
      keySchema: meta.keySchema,
      shardId: meta.shardId,
      startOrdinal: BigInt(start),
      nextOrdinal: BigInt(seq) + 1n,
      firstSequence: first === null ? undefined : sequenceNumber(BigInt(first)),
      lastSequence: last === null ? undefined : sequenceNumber(BigInt(last)),
      closedAt,
    };
  }
}

/** The stream arguments of createTable and replaceTable: [has stream, meta JSON, index member, closed instant]. */
function streamArgs(record: TableRecord): { key: string; args: Arg[] } {
  const info = record.stream;
  if (!info) return { key: NO_KEY, args: [0, '', '', ''] };
  const meta: Omit<StreamMeta, 'closedAt' | 'startOrdinal'> = {
    arn: info.arn,
    label: info.label,
    tableKey: tableKey(record),
    tableName: record.name,
    account: record.account,
    region: record.region,
    viewType: info.viewType as StreamViewType,
    createdAt: info.createdAt,
    keySchema: record.keySchema,
    shardId: shardIdOf(info.arn, info.createdAt),
  };
  const closed = info.enabled ? '' : String(info.disabledAt ?? info.createdAt);
  return { key: streamKey(info.arn), args: [1, JSON.stringify(meta), streamMember(record.account, record.region, info.arn), closed] };
}

/** The time to live of an item (epoch ms), when the table has TTL and the item a numeric value. */
function ttlOf(model: TableModel, item: Item): number | undefined {
  if (model.ttlAttribute === undefined) return undefined;
  const value = getAttribute(item, model.ttlAttribute);
  const seconds = value?.N !== undefined ? Number(value.N) : NaN;
  return Number.isFinite(seconds) ? Math.floor(seconds * 1000) : undefined;
}

function parseItem(json: unknown): Item | undefined {
  return json === null || json === undefined ? undefined : (JSON.parse(String(json)) as Item);
}

function toObject(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

/** `<account>/<region>/<arn>` -> arn. */
function streamArnOf(member: string): string {
  return member.slice(member.indexOf('/', member.indexOf('/') + 1) + 1);
}

function newToken(): string {
  return randomBytes(6).toString('hex');
}

async function backoff(attempt: number): Promise<void> {
  if (attempt >= MAX_ATTEMPTS) throw new Error(`dynamodb redis store: a write met ${MAX_ATTEMPTS} conflicts in a row`);
  // The first retries go at once; under sustained contention, spread the writers out a little.
  if (attempt > 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
}

function missingAsUndefined(e: unknown): undefined {
  if (e instanceof TableMissingError) return undefined;
  throw e;
}

function missingAsTrue(e: unknown): boolean {
  if (e instanceof TableMissingError) return true;
  throw e;
}
