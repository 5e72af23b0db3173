import { randomUUID } from 'node:crypto';
import type { Bus, CallContext, Logger } from '@stratus/shared';
import { canonicalUserId, bucketArn, urlEncodeKey, type BucketRecord } from './model.js';

// S3 event notifications: which configured targets an event reaches, the exact record S3 sends, and
// delivery to SQS over the bus (a SendMessage call for the queue, never SQS state). Delivery is
// asynchronous, as S3's is, in the order events happen.

export interface FilterRule {
  Name: string;
  Value: string;
}

export interface TargetConfiguration {
  Id?: string;
  Events: string[];
  Filter?: { Key?: { FilterRules?: FilterRule[] } };
  QueueArn?: string;
  TopicArn?: string;
  LambdaFunctionArn?: string;
}

export interface NotificationConfiguration {
  QueueConfigurations?: TargetConfiguration[];
  TopicConfigurations?: TargetConfiguration[];
  LambdaFunctionConfigurations?: TargetConfiguration[];
  EventBridgeConfiguration?: Record<string, never>;
}

/** What happened to which object: the inputs of one event record. */
export interface S3Event {
  /** Without the `s3:` prefix: `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated` ... */
  readonly name: string;
  readonly bucket: BucketRecord;
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
  /** The write's sequence number (the record's `sequencer`); tagging and ACL events carry none. */
  readonly seq?: number;
  readonly time: number;
  readonly ctx: CallContext;
}

/** The event types S3 accepts in a notification configuration. */
export const EVENT_TYPES = new Set([
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

export function eventMatches(configured: readonly string[], name: string): boolean {
  const full = `s3:${name}`;
  for (const e of configured) {
    if (e === full) return true;
    if (e.endsWith(':*') && full.startsWith(e.slice(0, -1))) return true;
  }
  return false;
}

export function keyMatches(filter: TargetConfiguration['Filter'], key: string): boolean {
  for (const rule of filter?.Key?.FilterRules ?? []) {
    const name = rule.Name.toLowerCase();
    if (name === 'prefix' && !key.startsWith(rule.Value)) return false;
    if (name === 'suffix' && !key.endsWith(rule.Value)) return false;
  }
  return true;
}

/** `arn:aws:sqs:<region>:<account>:<name>` → its parts; undefined for anything else. */
export function parseSqsArn(arn: string): { region: string; account: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !parts[3] || !parts[4] || !parts[5]) return undefined;
  return { region: parts[3], account: parts[4], name: parts[5] };
}

export function sequencer(seq: number): string {
  return seq.toString(16).toUpperCase().padStart(18, '0');
}

/** The `Records[0]` S3 sends for an event, for one configuration. */
export function eventRecord(e: S3Event, configurationId: string): Record<string, unknown> {
  const object: Record<string, unknown> = { key: urlEncodeKey(e.key) };
  if (e.size !== undefined) object.size = e.size;
  if (e.etag !== undefined) object.eTag = e.etag;
  if (e.versionId !== undefined && e.versionId !== 'null') object.versionId = e.versionId;
  if (e.seq !== undefined) object.sequencer = sequencer(e.seq);
  return {
    // Events about an object's tags and ACL are of the newer record version.
    eventVersion: e.name.startsWith('ObjectTagging:') || e.name.startsWith('ObjectAcl:') ? '2.3' : '2.1',
    eventSource: 'aws:s3',
    awsRegion: e.bucket.region,
    eventTime: new Date(e.time).toISOString(),
    eventName: e.name,
    userIdentity: { principalId: `AWS:${e.ctx.accessKeyId || e.ctx.account}` },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': e.ctx.requestId, 'x-amz-id-2': hostId(e.ctx.requestId) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: e.bucket.name, ownerIdentity: { principalId: canonicalUserId(e.bucket.account) }, arn: bucketArn(e.bucket) },
      object,
    },
  };
}

/** The `x-amz-id-2` S3 pairs with a request id. */
export function hostId(requestId: string): string {
  return Buffer.from(`stratus/${requestId}`).toString('base64');
}

export class Notifier {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  /** Sends the event to every queue whose configuration it matches. */
  emit(e: S3Event): void {
    const config = e.bucket.config.notification as NotificationConfiguration | undefined;
    const queues = config?.QueueConfigurations;
    if (!queues || queues.length === 0) return;
    for (const q of queues) {
      if (!q.QueueArn || !eventMatches(q.Events, e.name) || !keyMatches(q.Filter, e.key)) continue;
      const body = JSON.stringify({ Records: [eventRecord(e, q.Id ?? '')] });
      this.send(q.QueueArn, body, e.ctx);
    }
  }

  /** The `s3:TestEvent` S3 sends to each queue when a configuration is put. */
  sendTestEvent(bucket: BucketRecord, queueArns: readonly string[], ctx: CallContext, now: number): void {
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: new Date(now).toISOString(),
      Bucket: bucket.name,
      RequestId: ctx.requestId,
      HostId: hostId(ctx.requestId),
    });
    for (const arn of new Set(queueArns)) this.send(arn, body, ctx);
  }

  /** Resolves once every event emitted so far has been handed to SQS (or failed). */
  idle(): Promise<void> {
    return this.chain;
  }

  private send(queueArn: string, body: string, ctx: CallContext): void {
    const queue = parseSqsArn(queueArn);
    if (!queue) return;
    const call = () =>
      this.bus
        .call('sqs', 'SendMessage', { QueueUrl: queueUrl(ctx.host, queue), MessageBody: body }, sqsContext(ctx, queue))
        .then(
          () => undefined,
          (err: unknown) => this.logger.warn({ err, queueArn }, 's3 event notification not delivered'),
        );
    this.chain = this.chain.then(call);
  }
}

export function queueUrl(host: string, queue: { account: string; name: string }): string {
  return `http://${host || 'localhost'}/${queue.account}/${queue.name}`;
}

/** The context of a call S3 makes to SQS for a queue: the queue's account and region. */
export function sqsContext(ctx: CallContext, queue: { region: string; account: string }): CallContext {
  return { account: queue.account, region: queue.region, requestId: randomUUID(), accessKeyId: queue.account, host: ctx.host, protocol: 'json' };
}
