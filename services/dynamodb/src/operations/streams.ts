import type { CallContext, Handler } from '@stratus/shared';
import { AwsError } from '@stratus/shared';
import { expiredIterator, resourceNotFound, trimmedDataAccess, validationError } from '../errors.js';
import { sequenceNumber, sequenceOrdinal } from '../store/memory-state.js';
import type { StreamSummary } from '../store/types.js';
import * as shapes from '../validation/shapes.js';
import { validate, type DynamoDeps, type Input } from './support.js';

/**
 * DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords. Each stream has one
 * shard; records are kept 24 hours on the clock. A shard iterator names a position (an ordinal of the
 * store's sequence) and expires 15 minutes after it was handed out.
 */

const ITERATOR_TTL_MS = 15 * 60 * 1000;
const ITERATOR_PREFIX = 'arn:aws:dynamodb:iterator/';

interface IteratorState {
  arn: string;
  shardId: string;
  position: string;
  issuedAt: number;
}

function encodeIterator(state: IteratorState): string {
  return ITERATOR_PREFIX + Buffer.from(JSON.stringify([state.arn, state.shardId, state.position, state.issuedAt]), 'utf8').toString('base64url');
}

function decodeIterator(text: string): IteratorState | undefined {
  if (!text.startsWith(ITERATOR_PREFIX)) return undefined;
  try {
    const [arn, shardId, position, issuedAt] = JSON.parse(Buffer.from(text.slice(ITERATOR_PREFIX.length), 'base64url').toString('utf8')) as [
      string,
      string,
      string,
      number,
    ];
    if (typeof arn !== 'string' || typeof shardId !== 'string' || !/^-?\d+$/.test(position) || typeof issuedAt !== 'number') return undefined;
    return { arn, shardId, position, issuedAt };
  } catch {
    return undefined;
  }
}

function streamNotFound(arn: string): AwsError {
  return resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
}

function streamStatus(stream: StreamSummary): string {
  return stream.enabled ? 'ENABLED' : 'DISABLED';
}

function shardOf(stream: StreamSummary): Record<string, unknown> {
  const range: Record<string, string> = { StartingSequenceNumber: stream.firstSequence ?? sequenceNumber(stream.startOrdinal) };
  if (!stream.enabled) range.EndingSequenceNumber = stream.lastSequence ?? sequenceNumber(stream.startOrdinal);
  return { ShardId: stream.shardId, SequenceNumberRange: range };
}

export function streamOperations(deps: DynamoDeps): Record<string, Handler> {
  const { store, clock } = deps;

  async function requireStream(arn: string): Promise<StreamSummary> {
    const stream = await store.getStream(arn, clock.now());
    if (!stream) throw streamNotFound(arn);
    return stream;
  }

  return {
    async ListStreams(input: Input, ctx: CallContext) {
      validate(shapes.ListStreams, input);
      let streams = await store.listStreams(ctx.account, ctx.region, clock.now());
      if (input.TableName != null) streams = streams.filter((s) => s.tableName === input.TableName);
      streams.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      if (input.ExclusiveStartStreamArn != null) streams = streams.filter((s) => s.arn > input.ExclusiveStartStreamArn);
      const limit: number = input.Limit ?? 100;
      const page = streams.slice(0, limit);
      const out: Input = { Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })) };
      if (streams.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1].arn;
      return out;
    },

    async DescribeStream(input: Input) {
      validate(shapes.DescribeStream, input);
      const stream = await requireStream(input.StreamArn);
      const shards = input.ExclusiveStartShardId != null && input.ExclusiveStartShardId >= stream.shardId ? [] : [shardOf(stream)];
      return {
        StreamDescription: {
          StreamArn: stream.arn,
          StreamLabel: stream.label,
          StreamStatus: streamStatus(stream),
          StreamViewType: stream.viewType,
          CreationRequestDateTime: stream.createdAt,
          TableName: stream.tableName,
          KeySchema: stream.keySchema,
          Shards: shards,
        },
      };
    },

    async GetShardIterator(input: Input) {
      validate(shapes.GetShardIterator, input);
      const stream = await requireStream(input.StreamArn);
      if (input.ShardId !== stream.shardId) {
        throw resourceNotFound(`Requested resource not found: Shard: ${input.ShardId} in Stream: ${stream.arn} not found`);
      }
      const type = input.ShardIteratorType as string;
      let position: bigint;
      if (type === 'TRIM_HORIZON') position = stream.startOrdinal;
      else if (type === 'LATEST') position = stream.nextOrdinal;
      else {
        if (input.SequenceNumber == null) throw validationError(`Sequence number must be specified for iterator type ${type}`);
        const ordinal = sequenceOrdinal(input.SequenceNumber);
        if (ordinal === undefined || ordinal < 0n) throw validationError(`Invalid SequenceNumber: ${input.SequenceNumber}`);
        const oldest = stream.firstSequence !== undefined ? sequenceOrdinal(stream.firstSequence)! : stream.startOrdinal;
        if (ordinal < oldest || ordinal < stream.startOrdinal) throw trimmedDataAccess();
        if (ordinal >= stream.nextOrdinal) throw validationError(`Invalid SequenceNumber: ${input.SequenceNumber} is beyond the end of the shard`);
        position = type === 'AT_SEQUENCE_NUMBER' ? ordinal : ordinal + 1n;
      }
      return { ShardIterator: encodeIterator({ arn: stream.arn, shardId: stream.shardId, position: String(position), issuedAt: clock.now() }) };
    },

    async GetRecords(input: Input) {
      validate(shapes.GetRecords, input);
      const iterator = decodeIterator(input.ShardIterator);
      if (!iterator) throw validationError('Invalid ShardIterator');
      const now = clock.now();
      if (now - iterator.issuedAt > ITERATOR_TTL_MS) throw expiredIterator();
      const stream = await requireStream(iterator.arn);
      const read = await store.readStream(stream.arn, BigInt(iterator.position), input.Limit ?? 1000, now);
      const out: Input = { Records: read.records };
      const exhausted = !stream.enabled && read.records.length === 0;
      if (!exhausted) out.NextShardIterator = encodeIterator({ ...iterator, position: String(read.next), issuedAt: now });
      return out;
    },
  };
}
