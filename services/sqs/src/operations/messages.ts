import type { CallContext, Handler } from '@stratus/shared';
import { messageNotAvailable, missingParameter, receiptHandleExpired, receiptHandleIsInvalid, visibilityTooLong } from '../errors.js';
import { decodeReceiptHandle, encodeReceiptHandle } from '../handles.js';
import { md5OfAttributes } from '../md5.js';
import { prepareMessage, type MessageInput } from '../message-validation.js';
import { MAX_RECEIVE_MESSAGES, MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS, queueKey, settingsOf } from '../model.js';
import { boundedInteger, requireString } from '../params.js';
import type { HandleOutcome, MessageAttributes, QueueId, QueueRecord, Received } from '../store/types.js';
import { announce, requireQueue, type SqsDeps } from './support.js';

interface SendMessageInput extends MessageInput {
  QueueUrl?: string;
}
interface ReceiveMessageInput {
  QueueUrl?: string;
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  /** Accepted and ignored: a retried FIFO receive is answered like a new one. */
  ReceiveRequestAttemptId?: string;
}
interface HandleInput {
  QueueUrl?: string;
  ReceiptHandle?: string;
}
interface ChangeVisibilityInput extends HandleInput {
  VisibilityTimeout?: number;
}

/** A message as ReceiveMessage returns it. */
export interface OutputMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: MessageAttributes;
}

/** Which attributes a receive returns: 'all', a selection, or none (undefined). */
interface ReceiveView {
  system?: 'all' | ReadonlySet<string>;
  attributes?: 'all' | { names: ReadonlySet<string>; prefixes: readonly string[] };
}

/** SendMessage, ReceiveMessage, DeleteMessage, ChangeMessageVisibility. */
export function messageOperations(deps: SqsDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async SendMessage(input: SendMessageInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const { message, md5OfSystemAttributes } = prepareMessage(input, queue, settingsOf(queue), ctx, false);
      const [outcome] = await store.send(queue.id, [message], clock.now());
      if (!outcome.duplicate) announce(deps, queue.id);
      const out: Record<string, string> = { MessageId: outcome.messageId, MD5OfMessageBody: message.md5OfBody };
      if (message.md5OfAttributes) out.MD5OfMessageAttributes = message.md5OfAttributes;
      if (md5OfSystemAttributes) out.MD5OfMessageSystemAttributes = md5OfSystemAttributes;
      if (outcome.sequenceNumber) out.SequenceNumber = outcome.sequenceNumber;
      return out;
    },

    async ReceiveMessage(input: ReceiveMessageInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const settings = settingsOf(queue);
      const max =
        boundedInteger('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, MAX_RECEIVE_MESSAGES, 'Must be between 1 and 10, if provided.') ?? 1;
      const visibility =
        boundedInteger('VisibilityTimeout', input.VisibilityTimeout, 0, MAX_VISIBILITY_SECONDS, 'Must be >= 0 and <= 43200, if provided.') ??
        settings.visibilityTimeoutMs / 1000;
      const wait =
        boundedInteger('WaitTimeSeconds', input.WaitTimeSeconds, 0, MAX_WAIT_SECONDS, 'Must be >= 0 and <= 20, if provided.') ?? settings.waitTimeSeconds;
      const received = await poll(deps, queue.id, max, visibility * 1000, wait);
      if (received.length === 0) return {};
      const view = receiveView(input, ctx.protocol);
      return { Messages: received.map((r) => render(r, queue, view)) };
    },

    async DeleteMessage(input: HandleInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const handle = requireString('ReceiptHandle', input.ReceiptHandle);
      const ref = decodeReceiptHandle(queue.id, handle);
      if (!ref) throw receiptHandleIsInvalid(handle);
      const [outcome] = await store.deleteMessages(queue.id, [ref], clock.now());
      if (outcome === 'expired') throw receiptHandleExpired(handle);
      // Deleting a FIFO group's oldest message releases the rest of the group.
      if (queue.fifo && outcome === 'done') announce(deps, queue.id);
      return {};
    },

    async ChangeMessageVisibility(input: ChangeVisibilityInput, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const handle = requireString('ReceiptHandle', input.ReceiptHandle);
      const seconds = visibilityParam(input.VisibilityTimeout);
      const ref = decodeReceiptHandle(queue.id, handle);
      if (!ref) throw receiptHandleIsInvalid(handle);
      const [outcome] = await store.changeVisibility(queue.id, [{ ref, visibilityTimeoutMs: seconds * 1000 }], clock.now());
      const error = visibilityError(outcome, handle, seconds);
      if (error) throw error;
      if (seconds === 0) announce(deps, queue.id);
      return {};
    },
  };
}

/** ChangeMessageVisibility's VisibilityTimeout: required, 0..43200. */
export function visibilityParam(value: unknown): number {
  const seconds = boundedInteger('VisibilityTimeout', value, 0, MAX_VISIBILITY_SECONDS, 'Must be >= 0 and <= 43200, if provided.');
  if (seconds === undefined) throw missingParameter('VisibilityTimeout');
  return seconds;
}

/** The error a visibility change outcome means, if any. */
export function visibilityError(outcome: HandleOutcome, handle: string, seconds: number) {
  if (outcome === 'gone') return messageNotAvailable(handle);
  if (outcome === 'expired') return receiptHandleExpired(handle);
  if (outcome === 'tooLong') return visibilityTooLong(seconds);
  return undefined;
}

/**
 * Receives, waiting up to `waitSeconds` (real time) for something to arrive when nothing is there:
 * returns as soon as a receive finds messages.
 */
async function poll(deps: SqsDeps, queue: QueueId, max: number, visibilityTimeoutMs: number, waitSeconds: number): Promise<Received[]> {
  const { store, clock } = deps;
  const once = async (): Promise<Received[]> => {
    const result = await store.receive(queue, { max, visibilityTimeoutMs, now: clock.now() });
    if (result.deadLetterQueue) announce(deps, result.deadLetterQueue);
    return result.messages;
  };
  const first = await once();
  if (first.length > 0 || waitSeconds === 0) return first;

  const deadline = Date.now() + waitSeconds * 1000;
  const key = queueKey(queue);
  while (!deps.polls.closed) {
    const waiter = deps.polls.arm(key);
    try {
      const got = await once();
      const remaining = deadline - Date.now();
      if (got.length > 0 || remaining <= 0) return got;
      let sleep = remaining;
      const next = await store.nextVisibleAt(queue, clock.now());
      // A frozen clock only moves when someone moves it, and that wakes the waiter anyway.
      if (next !== undefined && clock.state().frozenAt === null) sleep = Math.min(remaining, Math.max(1, next - clock.now()));
      await waiter.sleep(sleep);
    } finally {
      waiter.dispose();
    }
  }
  return [];
}

/**
 * AttributeNames and MessageSystemAttributeNames both select system attributes: the JSON protocol
 * honours both, the query protocol lets AttributeNames decide when it is given.
 */
function receiveView(input: ReceiveMessageInput, protocol: string): ReceiveView {
  const attributeNames = input.AttributeNames ?? [];
  const systemNames = input.MessageSystemAttributeNames ?? [];
  const chosen = protocol === 'query' && attributeNames.length > 0 ? attributeNames : [...attributeNames, ...systemNames];
  const view: ReceiveView = {};
  if (chosen.includes('All')) view.system = 'all';
  else if (chosen.length > 0) view.system = new Set(chosen);

  const filters = input.MessageAttributeNames ?? [];
  if (filters.some((f) => f === 'All' || f === '.*' || f === '*')) {
    view.attributes = 'all';
  } else if (filters.length > 0) {
    const names = new Set<string>();
    const prefixes: string[] = [];
    for (const f of filters) {
      if (f.endsWith('.*')) prefixes.push(f.slice(0, -2));
      else names.add(f);
    }
    view.attributes = { names, prefixes };
  }
  return view;
}

function render(r: Received, queue: QueueRecord, view: ReceiveView): OutputMessage {
  const c = r.content;
  const out: OutputMessage = {
    MessageId: c.id,
    ReceiptHandle: encodeReceiptHandle(queue.id, { messageId: c.id, receipt: r.receipt }),
    MD5OfBody: c.md5OfBody,
    Body: c.body,
  };
  if (view.system) {
    const attributes = systemAttributes(r, view.system);
    if (attributes) out.Attributes = attributes;
  }
  if (view.attributes && c.attributes) {
    if (view.attributes === 'all') {
      out.MessageAttributes = c.attributes;
      out.MD5OfMessageAttributes = c.md5OfAttributes;
    } else {
      const { names, prefixes } = view.attributes;
      const picked = Object.keys(c.attributes)
        .filter((n) => names.has(n) || prefixes.some((p) => n.startsWith(p)))
        .sort();
      if (picked.length > 0) {
        const subset: MessageAttributes = {};
        for (const n of picked) subset[n] = c.attributes[n];
        out.MessageAttributes = subset;
        out.MD5OfMessageAttributes = md5OfAttributes(subset, picked);
      }
    }
  }
  return out;
}

function systemAttributes(r: Received, selection: 'all' | ReadonlySet<string>): Record<string, string> | undefined {
  const c = r.content;
  const want = (name: string) => selection === 'all' || selection.has(name);
  const a: Record<string, string> = {};
  if (want('SenderId')) a.SenderId = c.senderId;
  if (want('SentTimestamp')) a.SentTimestamp = String(c.sentAt);
  if (want('ApproximateReceiveCount')) a.ApproximateReceiveCount = String(r.receiveCount);
  if (want('ApproximateFirstReceiveTimestamp')) a.ApproximateFirstReceiveTimestamp = String(r.firstReceivedAt);
  if (c.groupId !== undefined && want('MessageGroupId')) a.MessageGroupId = c.groupId;
  if (c.dedupId !== undefined && want('MessageDeduplicationId')) a.MessageDeduplicationId = c.dedupId;
  if (c.sequenceNumber !== undefined && want('SequenceNumber')) a.SequenceNumber = c.sequenceNumber;
  if (c.traceHeader !== undefined && want('AWSTraceHeader')) a.AWSTraceHeader = c.traceHeader;
  if (c.deadLetterSourceArn !== undefined && want('DeadLetterQueueSourceArn')) a.DeadLetterQueueSourceArn = c.deadLetterSourceArn;
  for (const _ in a) return a;
  return undefined;
}

