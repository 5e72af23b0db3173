import { asciiPrefixRange, connectWithScripts, unlinkMatching, type LuaScript, type Redis, type ScriptArg } from '@stratus/shared/redis';
import {
  DEDUP_WINDOW_MS,
  MAX_VISIBILITY_SECONDS,
  PURGE_INTERVAL_MS,
  formatSequenceNumber,
  parseQueueArn,
  queueKey,
  sameQueue,
} from '../model.js';
import {
  NO_REDRIVE,
  decodeContent,
  decodeQueue,
  decodeTask,
  encodeContent,
  recordFields,
  redriveTarget,
  taskFields,
  toObject,
  toPairs,
  type FlatHash,
  type QueueReply,
  type Redrive,
} from './redis-codec.js';
import {
  ALL_KEYS_PATTERN,
  QUEUES_INDEX,
  RUNNING_TASKS,
  SEQUENCE,
  TASKS,
  attributesKey,
  queueKeys,
  taskKey,
  tasksOfKey,
} from './redis-keys.js';
import { QUEUE_MISSING, SCRIPTS, type ScriptName } from './redis-scripts.js';
import {
  QueueMissingError,
  type HandleOutcome,
  type MessageCounts,
  type MoveTaskProgress,
  type MoveTaskRecord,
  type NewMessage,
  type QueueDump,
  type QueueId,
  type QueueRecord,
  type ReceiptRef,
  type ReceiveRequest,
  type ReceiveResult,
  type Received,
  type SendOutcome,
  type SqsDump,
  type SqsStore,
  type VisibilityChange,
} from './types.js';

type Arg = ScriptArg;

/** Per receive message in the receive script's reply. */
const RECEIVED_FIELDS = 6;

/** The source and destination ARNs whose keys an advance passes (see advanceMoveTask). */
interface TaskRoute {
  readonly source: string;
  readonly destinations: readonly string[];
}

/**
 * The SqsStore shared by N service replicas through one Redis. Each method is one script call (see
 * redis-scripts.ts), so it is atomic across replicas and one round trip. Two things are remembered per
 * process only as hints for building a script's KEYS, and every script confirms them: a queue's
 * RedrivePolicy (receive needs the dead-letter queue's keys) and a move task's source and destinations.
 */
export class RedisSqsStore implements SqsStore {
  private readonly redrives = new Map<string, Redrive>();
  private readonly taskRoutes = new Map<string, TaskRoute>();

  private constructor(
    private readonly redis: Redis,
    private readonly scripts: Record<ScriptName, LuaScript>,
  ) {}

  static async connect(url: string): Promise<RedisSqsStore> {
    const { redis, scripts } = await connectWithScripts(url, SCRIPTS);
    return new RedisSqsStore(redis, scripts);
  }

  // ---- queues ----

  async createQueue(record: QueueRecord): Promise<{ created: boolean; queue: QueueRecord }> {
    const qk = queueKey(record.id);
    const fields = toPairs(recordFields(record));
    const attributes = toPairs(record.attributes);
    const args = [qk, fields.length, attributes.length, ...fields, ...attributes, ...toPairs(record.tags)];
    const reply = (await this.run('createQueue', [...queueKeys(qk), QUEUES_INDEX], args)) as [1] | [0, QueueReply];
    return reply[0] === 1 ? { created: true, queue: record } : { created: false, queue: decodeQueue(record.id, reply[1]) };
  }

  async getQueue(id: QueueId): Promise<QueueRecord | undefined> {
    const reply = (await this.run('getQueue', queueKeys(queueKey(id)), [])) as QueueReply | null;
    return reply ? decodeQueue(id, reply) : undefined;
  }

  async setAttributes(id: QueueId, changes: Readonly<Record<string, string | null>>, nowSeconds: number): Promise<QueueRecord> {
    const set: Arg[] = [];
    const remove: string[] = [];
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) remove.push(name);
      else set.push(name, value);
    }
    const reply = await this.run('setAttributes', queueKeys(queueKey(id)), [nowSeconds, set.length, ...set, ...remove], id);
    return decodeQueue(id, reply as QueueReply);
  }

  async updateTags(id: QueueId, set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<QueueRecord> {
    const pairs = toPairs(set);
    const reply = await this.run('updateTags', queueKeys(queueKey(id)), [pairs.length, ...pairs, ...remove], id);
    return decodeQueue(id, reply as QueueReply);
  }

  async deleteQueue(id: QueueId): Promise<boolean> {
    return this.deleteByKey(queueKey(id));
  }

  async listQueues(account: string, region: string, prefix = ''): Promise<string[]> {
    const base = `${account}/${region}/`;
    const keys = await this.redis.zrangebylex(QUEUES_INDEX, ...asciiPrefixRange(base + prefix));
    return keys.map((k) => k.slice(base.length));
  }

  async listDeadLetterSourceQueues(account: string, region: string, deadLetterArn: string): Promise<string[]> {
    const target = parseQueueArn(deadLetterArn);
    if (!target) return [];
    const names = await this.listQueues(account, region);
    const policies = await Promise.all(
      names.map((name) => this.redis.hget(attributesKey(queueKey({ account, region, name })), 'RedrivePolicy')),
    );
    return names.filter((_, i) => {
      const redrive = redriveTarget(policies[i]);
      return redrive !== undefined && sameQueue(redrive.queue, target);
    });
  }

  // ---- messages ----

  async send(id: QueueId, messages: readonly NewMessage[], now: number): Promise<SendOutcome[]> {
    const args: Arg[] = [now, DEDUP_WINDOW_MS];
    for (const m of messages) args.push(m.id, encodeContent(m, now), m.delayMs, m.groupId ?? '', m.dedupId ?? '');
    const [fifo, ...rest] = (await this.run('send', [...queueKeys(queueKey(id)), SEQUENCE], args, id)) as [number, ...Arg[]];
    const outcomes: SendOutcome[] = [];
    for (let i = 0; i < rest.length; i += 3) {
      const messageId = String(rest[i + 1]);
      const duplicate = rest[i] === 1;
      outcomes.push(fifo ? { messageId, sequenceNumber: formatSequenceNumber(Number(rest[i + 2])), duplicate } : { messageId, duplicate });
    }
    return outcomes;
  }

  async receive(id: QueueId, request: ReceiveRequest): Promise<ReceiveResult> {
    const qk = queueKey(id);
    let redrive = this.redrives.get(qk) ?? NO_REDRIVE;
    for (;;) {
      const dlq = redrive.deadLetterQueue;
      const keys = [...queueKeys(qk), SEQUENCE, ...(dlq ? queueKeys(queueKey(dlq)) : [])];
      const args = [request.now, request.max, request.visibilityTimeoutMs, redrive.policy, redrive.maxReceiveCount ?? ''];
      const reply = (await this.run('receive', keys, args, id)) as ['stale', string] | ['ok', number, number, ...Arg[]];
      if (reply[0] === 'stale') {
        redrive = redriveOf(qk, reply[1]);
        this.redrives.set(qk, redrive);
        continue;
      }
      const [, moved, fifo, ...rest] = reply;
      const messages: Received[] = [];
      for (let i = 0; i < rest.length; i += RECEIVED_FIELDS) {
        const [content, seq, receipt, receiveCount, firstReceivedAt, deadLetterSourceArn] = rest.slice(i, i + RECEIVED_FIELDS);
        messages.push({
          content: decodeContent(String(content), Number(seq), fifo === 1, String(deadLetterSourceArn)),
          receipt: Number(receipt),
          receiveCount: Number(receiveCount),
          firstReceivedAt: Number(firstReceivedAt),
        });
      }
      return moved === 1 && dlq ? { messages, deadLetterQueue: dlq } : { messages };
    }
  }

  async deleteMessages(id: QueueId, refs: readonly ReceiptRef[], now: number): Promise<HandleOutcome[]> {
    const args: Arg[] = [now];
    for (const ref of refs) args.push(ref.messageId, ref.receipt);
    return (await this.run('deleteMessages', queueKeys(queueKey(id)), args, id)) as HandleOutcome[];
  }

  async changeVisibility(id: QueueId, changes: readonly VisibilityChange[], now: number): Promise<HandleOutcome[]> {
    const args: Arg[] = [now, MAX_VISIBILITY_SECONDS * 1000];
    for (const c of changes) args.push(c.ref.messageId, c.ref.receipt, c.visibilityTimeoutMs);
    return (await this.run('changeVisibility', queueKeys(queueKey(id)), args, id)) as HandleOutcome[];
  }

  async counts(id: QueueId, now: number): Promise<MessageCounts> {
    return toCounts((await this.run('counts', queueKeys(queueKey(id)), [now], id)) as number[]);
  }

  async nextVisibleAt(id: QueueId, now: number): Promise<number | undefined> {
    const at = (await this.run('nextVisibleAt', queueKeys(queueKey(id)), [now], id)) as string | null;
    return at === null ? undefined : Number(at);
  }

  async purge(id: QueueId, now: number): Promise<'purged' | 'inProgress'> {
    return (await this.run('purge', queueKeys(queueKey(id)), [now, PURGE_INTERVAL_MS], id)) as 'purged' | 'inProgress';
  }

  // ---- message move tasks ----

  async startMoveTask(task: Omit<MoveTaskRecord, 'toMove' | 'moved' | 'status'>): Promise<MoveTaskRecord | 'alreadyRunning'> {
    const source = parseQueueArn(task.sourceArn) ?? { account: task.account, region: task.region, name: task.sourceArn };
    const keys = [...queueKeys(queueKey(source)), taskKey(task.taskId), tasksOfKey(task.sourceArn), RUNNING_TASKS, TASKS];
    const args = [task.taskId, task.startedAt, ...toPairs(taskFields(task))];
    const reply = (await this.run('startMoveTask', keys, args, source)) as 'alreadyRunning' | number;
    if (reply === 'alreadyRunning') return reply;
    return { ...task, status: 'RUNNING', moved: 0, toMove: reply };
  }

  async advanceMoveTask(taskId: string, now: number): Promise<MoveTaskProgress | undefined> {
    // The script needs the keys of the source and of every destination a moved message goes to; it says
    // which are missing (without moving anything), so an unknown task takes a few calls, then one.
    let route: TaskRoute = this.taskRoutes.get(taskId) ?? { source: '', destinations: [] };
    for (;;) {
      const keys = [taskKey(taskId), RUNNING_TASKS, SEQUENCE, ...queueKeys(arnQueueKey(route.source))];
      for (const arn of route.destinations) keys.push(...queueKeys(arnQueueKey(arn)));
      const reply = (await this.run('advanceMoveTask', keys, [now, route.source, ...route.destinations])) as
        | ['none']
        | ['source', string]
        | ['need', ...string[]]
        | ['done', FlatHash, ...number[]];
      switch (reply[0]) {
        case 'none':
          this.taskRoutes.delete(taskId);
          return undefined;
        case 'source':
          route = { source: reply[1], destinations: [] };
          break;
        case 'need':
          route = { source: route.source, destinations: [...route.destinations, ...reply.slice(1)] };
          break;
        case 'done': {
          const [, fields, ...received] = reply;
          const task = decodeTask(toObject(fields));
          if (task.status === 'RUNNING') this.taskRoutes.set(taskId, route);
          else this.taskRoutes.delete(taskId);
          const destinations = received.map((i) => parseQueueArn(route.destinations[i - 1]) as QueueId);
          return { task, destinations };
        }
      }
    }
  }

  async cancelMoveTask(taskId: string): Promise<MoveTaskRecord | undefined> {
    const reply = (await this.run('cancelMoveTask', [taskKey(taskId), RUNNING_TASKS], [taskId])) as FlatHash | null;
    return reply ? decodeTask(toObject(reply)) : undefined;
  }

  async getMoveTask(taskId: string): Promise<MoveTaskRecord | undefined> {
    const fields = await this.redis.hgetall(taskKey(taskId));
    return fields.taskId === undefined ? undefined : decodeTask(fields);
  }

  async listMoveTasks(sourceArn: string): Promise<MoveTaskRecord[]> {
    const ids = await this.redis.zrevrange(tasksOfKey(sourceArn), 0, -1);
    return present(await Promise.all(ids.map((taskId) => this.getMoveTask(taskId))));
  }

  async runningMoveTasks(): Promise<string[]> {
    return this.redis.smembers(RUNNING_TASKS);
  }

  // ---- administration ----

  async dump(now: number): Promise<SqsDump> {
    const [queueKeysList, taskIds] = await Promise.all([this.redis.zrange(QUEUES_INDEX, 0, -1), this.redis.smembers(TASKS)]);
    const [queues, moveTasks] = await Promise.all([
      Promise.all(queueKeysList.map((qk) => this.dumpQueue(qk, now))),
      Promise.all(taskIds.map((taskId) => this.getMoveTask(taskId))),
    ]);
    return { queues: present(queues), moveTasks: present(moveTasks) };
  }

  async reset(account?: string): Promise<void> {
    this.redrives.clear();
    this.taskRoutes.clear();
    if (account === undefined) {
      await unlinkMatching(this.redis, ALL_KEYS_PATTERN);
      return;
    }
    const queues = await this.redis.zrangebylex(QUEUES_INDEX, ...asciiPrefixRange(`${account}/`));
    await Promise.all(queues.map((qk) => this.deleteByKey(qk)));
    const taskIds = await this.redis.smembers(TASKS);
    const owners = await Promise.all(taskIds.map((taskId) => this.redis.hmget(taskKey(taskId), 'account', 'sourceArn')));
    const forget = this.redis.multi();
    taskIds.forEach((taskId, i) => {
      const [owner, sourceArn] = owners[i];
      if (owner !== account) return;
      forget.unlink(taskKey(taskId)).srem(RUNNING_TASKS, taskId).srem(TASKS, taskId);
      if (sourceArn !== null) forget.zrem(tasksOfKey(sourceArn), taskId);
    });
    await forget.exec();
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }

  // ---- internals ----

  /** Runs a script; `queue` names the queue a QUEUE_MISSING reply is about. */
  private async run(name: ScriptName, keys: readonly string[], args: readonly Arg[], queue?: QueueId): Promise<unknown> {
    try {
      return await this.scripts[name].call(this.redis, keys.length, ...keys, ...args);
    } catch (err) {
      if (queue && err instanceof Error && err.message.includes(QUEUE_MISSING)) throw new QueueMissingError(queue);
      throw err;
    }
  }

  private async deleteByKey(qk: string): Promise<boolean> {
    this.redrives.delete(qk);
    return (await this.run('deleteQueue', [...queueKeys(qk), QUEUES_INDEX], [qk])) === 1;
  }

  private async dumpQueue(qk: string, now: number): Promise<QueueDump | undefined> {
    const reply = (await this.run('dumpQueue', queueKeys(qk), [now])) as [QueueReply, number[], ...Arg[]] | null;
    if (!reply) return undefined;
    const [record, counts, ...inFlight] = reply;
    const [account, region, name] = qk.split('/');
    const { arn, fifo, attributes, tags } = decodeQueue({ account, region, name }, record);
    const dump: QueueDump = { account, region, name, arn, fifo, attributes, tags, counts: toCounts(counts), inFlight: [] };
    for (let i = 0; i < inFlight.length; i += 4) {
      const group = String(inFlight[i + 1]);
      dump.inFlight.push({
        messageId: String(inFlight[i]),
        ...(group && { groupId: group }),
        receiveCount: Number(inFlight[i + 2]),
        visibleAt: new Date(Number(inFlight[i + 3])).toISOString(),
      });
    }
    return dump;
  }
}

/** What a RedrivePolicy means for receives from the queue `qk`. */
function redriveOf(qk: string, policy: string): Redrive {
  const target = redriveTarget(policy);
  if (!target || !Number.isFinite(target.maxReceiveCount) || queueKey(target.queue) === qk) return { policy };
  return { policy, deadLetterQueue: target.queue, maxReceiveCount: target.maxReceiveCount };
}

/** The queueKey an ARN names; for an ARN that names no queue, a key no queue has (its script finds nothing). */
function arnQueueKey(arn: string): string {
  const id = parseQueueArn(arn);
  return id ? queueKey(id) : `?${arn}`;
}

function toCounts([visible, notVisible, delayed]: number[]): MessageCounts {
  return { visible, notVisible, delayed };
}

function present<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}
