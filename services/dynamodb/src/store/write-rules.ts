import { createHash } from 'node:crypto';
import { evaluateCondition } from '../expressions/evaluate.js';
import { finishUpdate } from '../item-rules.js';
import { keyOf, TTL_PRINCIPAL, type StreamRecord, type TableModel } from '../model.js';
import { valuesEqual } from '../values/compare.js';
import type { Item } from '../values/attribute-value.js';
import { itemSize } from '../values/size.js';
import { sequenceNumber } from './memory-state.js';
import type { StreamSummary, WriteOp, WriteOutcome } from './types.js';

/**
 * What every backend decides the same way, as pure functions of the item before a write: whether the
 * write's condition holds and what item it leaves (decideWrite), and the stream record of a change
 * (streamRecordOf, then sealStreamRecord once the record has its place in the sequence).
 */

/** Evaluates a write's condition on the item before it and computes the item it leaves (throws the update's ValidationException). */
export function decideWrite(model: TableModel, op: WriteOp, old: Item | undefined): WriteOutcome {
  if (op.condition !== undefined && !evaluateCondition(op.condition, old ?? {})) return { ok: false, old };
  switch (op.kind) {
    case 'put':
      return { ok: true, old, new: op.item };
    case 'update':
      return { ok: true, old, new: finishUpdate(model, op.key, old, op.plan) };
    case 'delete':
      return { ok: true, old };
    case 'check':
      return { ok: true, old, new: old };
  }
}

/**
 * The stream record of a change, when the table has an enabled stream and the item changed; its
 * SequenceNumber and eventID are left empty for sealStreamRecord (the order of keys is the final one).
 */
export function streamRecordOf(model: TableModel, old: Item | undefined, next: Item | undefined, now: number, byTtl: boolean): StreamRecord | undefined {
  const view = model.streamViewType;
  if (view === undefined || model.record.stream === undefined) return undefined;
  if (old === undefined && next === undefined) return undefined;
  if (old !== undefined && next !== undefined && valuesEqual({ M: old }, { M: next })) return undefined;
  const keys = keyOf(model, (next ?? old)!);
  const data: StreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(now / 1000) * 1000,
    Keys: keys,
    SequenceNumber: '',
    SizeBytes: 0,
    StreamViewType: view,
  };
  let size = itemSize(keys);
  if (next !== undefined && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    data.NewImage = next;
    size += itemSize(next);
  }
  if (old !== undefined && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    data.OldImage = old;
    size += itemSize(old);
  }
  data.SizeBytes = size;
  const record: StreamRecord = {
    eventID: '',
    eventName: old === undefined ? 'INSERT' : next === undefined ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: model.record.region,
    dynamodb: data,
  };
  if (byTtl) record.userIdentity = { ...TTL_PRINCIPAL };
  return record;
}

/** Gives a record its sequence number (from its ordinal) and the eventID derived from it; returns the record. */
export function sealStreamRecord(record: StreamRecord, streamArn: string, ordinal: bigint): StreamRecord {
  record.dynamodb.SequenceNumber = sequenceNumber(ordinal);
  record.eventID = createHash('md5').update(streamArn).update(record.dynamodb.SequenceNumber).digest('hex');
  return record;
}

/** A stream summary as a dump shows it: plain JSON (ordinals as decimal strings). */
export function dumpedStream(summary: StreamSummary): Record<string, unknown> {
  return { ...summary, startOrdinal: summary.startOrdinal.toString(), nextOrdinal: summary.nextOrdinal.toString() };
}
