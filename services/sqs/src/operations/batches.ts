import { type AwsError, type CallContext, type Handler, isAwsError } from '@stratus/shared';
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameterValue,
  missingParameter,
  receiptHandleExpired,
  receiptHandleIsInvalid,
  tooManyEntriesInBatchRequest,
} from '../errors.js';
import { decodeReceiptHandle } from '../handles.js';
import { attributesSize, missingDeduplicationId, prepareMessage, type MessageInput, type PreparedMessage } from '../message-validation.js';
import { MAX_BATCH_ENTRIES, MAX_MESSAGE_BYTES, settingsOf } from '../model.js';
import type { QueueRecord, ReceiptRef, VisibilityChange } from '../store/types.js';
import { visibilityError, visibilityParam } from './messages.js';
import { announce, requireQueue, type SqsDeps } from './support.js';

interface BatchInput<E> {
  QueueUrl?: string;
  Entries?: E[];
}
interface SendEntry extends MessageInput {
  Id: string;
}
interface HandleEntry {
  Id: string;
  ReceiptHandle?: string;
}
interface VisibilityEntry extends HandleEntry {
  VisibilityTimeout?: number;
}

/** One failed entry of a batch, as AWS reports it: the legacy error code and who is to blame. */
interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch: per-entry outcomes. */
export function batchOperations(deps: SqsDeps): Record<string, Handler> {
  const { store, clock } = deps;

  return {
    async SendMessageBatch(input: BatchInput<SendEntry>, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const entries = checkEntries(input.Entries, 'SendMessageBatchRequestEntry');
      if (queue.fifo) checkFifoEntries(queue, entries);
      let total = 0;
      for (const e of entries) {
        total += Buffer.byteLength(e.MessageBody ?? '', 'utf8') + (e.MessageAttributes ? attributesSize(e.MessageAttributes) : 0);
      }
      if (total > MAX_MESSAGE_BYTES) throw batchRequestTooLong(total);

      const settings = settingsOf(queue);
      const accepted: Array<{ id: string; prepared: PreparedMessage }> = [];
      const failed: BatchFailure[] = [];
      for (const e of entries) {
        try {
          accepted.push({ id: e.Id, prepared: prepareMessage(e, queue, settings, ctx, true) });
        } catch (err) {
          failed.push(failure(e.Id, err));
        }
      }
      const successful: Record<string, string>[] = [];
      if (accepted.length > 0) {
        const outcomes = await store.send(
          queue.id,
          accepted.map((a) => a.prepared.message),
          clock.now(),
        );
        accepted.forEach(({ id, prepared }, i) => {
          const { message, md5OfSystemAttributes } = prepared;
          const out: Record<string, string> = { Id: id, MessageId: outcomes[i].messageId, MD5OfMessageBody: message.md5OfBody };
          if (message.md5OfAttributes) out.MD5OfMessageAttributes = message.md5OfAttributes;
          if (md5OfSystemAttributes) out.MD5OfMessageSystemAttributes = md5OfSystemAttributes;
          if (outcomes[i].sequenceNumber) out.SequenceNumber = outcomes[i].sequenceNumber;
          successful.push(out);
        });
        announce(deps, queue.id);
      }
      return batchResult(successful, failed);
    },

    async DeleteMessageBatch(input: BatchInput<HandleEntry>, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const entries = checkEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
      const failed: BatchFailure[] = [];
      const valid: Array<{ id: string; handle: string; ref: ReceiptRef }> = [];
      for (const e of entries) {
        const resolved = resolveHandle(queue, e);
        if ('Code' in resolved) failed.push(resolved);
        else valid.push(resolved);
      }
      const successful: Array<{ Id: string }> = [];
      if (valid.length > 0) {
        const outcomes = await store.deleteMessages(
          queue.id,
          valid.map((v) => v.ref),
          clock.now(),
        );
        valid.forEach((v, i) => {
          if (outcomes[i] === 'expired') failed.push(failure(v.id, receiptHandleExpired(v.handle)));
          else successful.push({ Id: v.id });
        });
        if (queue.fifo) announce(deps, queue.id);
      }
      return batchResult(successful, failed);
    },

    async ChangeMessageVisibilityBatch(input: BatchInput<VisibilityEntry>, ctx: CallContext) {
      const queue = await requireQueue(deps, ctx, input.QueueUrl);
      const entries = checkEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      const failed: BatchFailure[] = [];
      const valid: Array<{ id: string; handle: string; seconds: number; change: VisibilityChange }> = [];
      for (const e of entries) {
        try {
          const seconds = visibilityParam(e.VisibilityTimeout);
          const resolved = resolveHandle(queue, e);
          if ('Code' in resolved) failed.push(resolved);
          else valid.push({ id: e.Id, handle: resolved.handle, seconds, change: { ref: resolved.ref, visibilityTimeoutMs: seconds * 1000 } });
        } catch (err) {
          failed.push(failure(e.Id, err));
        }
      }
      const successful: Array<{ Id: string }> = [];
      if (valid.length > 0) {
        const outcomes = await store.changeVisibility(
          queue.id,
          valid.map((v) => v.change),
          clock.now(),
        );
        valid.forEach((v, i) => {
          const error = visibilityError(outcomes[i], v.handle, v.seconds);
          if (error) failed.push(failure(v.id, error));
          else successful.push({ Id: v.id });
        });
        if (valid.some((v) => v.seconds === 0)) announce(deps, queue.id);
      }
      return batchResult(successful, failed);
    },
  };
}

/** The checks that fail a whole batch request: empty, too many, bad or repeated entry ids. */
function checkEntries<E extends { Id: string }>(entries: E[] | undefined, entryShape: string): E[] {
  if (!entries || entries.length === 0) throw emptyBatchRequest(entryShape);
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    if (typeof e.Id !== 'string' || !ENTRY_ID.test(e.Id)) throw invalidBatchEntryId();
    if (seen.has(e.Id)) throw batchEntryIdsNotDistinct(e.Id);
    seen.add(e.Id);
  }
  return entries;
}

/** On FIFO queues a missing group or deduplication id fails the whole batch. */
function checkFifoEntries(queue: QueueRecord, entries: SendEntry[]): void {
  const contentBased = settingsOf(queue).contentBasedDeduplication;
  for (const e of entries) {
    if (!e.MessageGroupId) throw invalidParameterValue('The request must contain the parameter MessageGroupId.');
    if (!contentBased && !e.MessageDeduplicationId) throw missingDeduplicationId();
  }
}

function resolveHandle(queue: QueueRecord, e: HandleEntry): { id: string; handle: string; ref: ReceiptRef } | BatchFailure {
  if (typeof e.ReceiptHandle !== 'string' || e.ReceiptHandle.length === 0) return failure(e.Id, missingParameter('ReceiptHandle'));
  const ref = decodeReceiptHandle(queue.id, e.ReceiptHandle);
  if (!ref) return failure(e.Id, receiptHandleIsInvalid(e.ReceiptHandle));
  return { id: e.Id, handle: e.ReceiptHandle, ref };
}

function failure(id: string, err: unknown): BatchFailure {
  if (!isAwsError(err)) throw err;
  const e: AwsError = err;
  return { Id: id, SenderFault: e.fault === 'Sender', Code: e.queryCode, Message: e.message };
}

/** AWS leaves an empty list out. */
function batchResult<S>(successful: S[], failed: BatchFailure[]): { Successful?: S[]; Failed?: BatchFailure[] } {
  const out: { Successful?: S[]; Failed?: BatchFailure[] } = {};
  if (successful.length > 0) out.Successful = successful;
  if (failed.length > 0) out.Failed = failed;
  return out;
}
