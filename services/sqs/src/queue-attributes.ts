import { invalidAttributeName, invalidAttributeValue, invalidParameter, unknownAttribute } from './errors.js';
import { MAX_MESSAGE_BYTES, MAX_VISIBILITY_SECONDS, MAX_WAIT_SECONDS, parseQueueArn } from './model.js';
import type { MessageCounts, QueueRecord } from './store/types.js';

/** Attributes GetQueueAttributes computes rather than stores. */
const COMPUTED = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;
const COUNTS = new Set<string>(['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible']);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

/** Integer attributes and their inclusive ranges. */
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, MAX_MESSAGE_BYTES],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, MAX_WAIT_SECONDS],
  VisibilityTimeout: [0, MAX_VISIBILITY_SECONDS],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};
const BOOLEANS = new Set(['ContentBasedDeduplication', 'SqsManagedSseEnabled', 'FifoQueue']);
const CHOICES: Record<string, readonly string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
/** Attributes that may be set, beyond the ones above. */
const FREE_FORM = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);
/** Setting these to their default value removes them (AWS then no longer reports them). */
const REMOVED_AT_DEFAULT: Record<string, string> = { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300', Policy: '', RedrivePolicy: '', RedriveAllowPolicy: '' };

export function defaultAttributes(fifo: boolean): Record<string, string> {
  const standard = {
    DelaySeconds: '0',
    MaximumMessageSize: String(MAX_MESSAGE_BYTES),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    SqsManagedSseEnabled: 'true',
    VisibilityTimeout: '30',
  };
  if (!fifo) return standard;
  return { ...standard, ContentBasedDeduplication: 'false', DeduplicationScope: 'queue', FifoQueue: 'true', FifoThroughputLimit: 'perQueue' };
}

/**
 * Validates attributes given to CreateQueue or SetQueueAttributes and returns them in
 * stored form: booleans lower-case, JSON policies compacted, null for "remove" (empty policies,
 * default KMS values), plus what follows from them (choosing one kind of server-side encryption turns
 * the other off).
 */
export function normalizeAttributes(input: Readonly<Record<string, string>>, fifo: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw);
    if (FIFO_ONLY.has(name) && !fifo) {
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw invalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw unknownAttribute(name);
    }
    if (name === 'FifoQueue' && value.toLowerCase() !== 'true') {
      throw invalidAttributeValue('Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    }
    if (REMOVED_AT_DEFAULT[name] === value) {
      out[name] = null;
    } else if (RANGES[name]) {
      const [min, max] = RANGES[name];
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw invalidValue(name);
      out[name] = String(Number(value));
    } else if (BOOLEANS.has(name)) {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidValue(name);
      out[name] = lower;
    } else if (CHOICES[name]) {
      if (!CHOICES[name].includes(value)) throw invalidValue(name);
      out[name] = value;
    } else if (name === 'Policy') {
      out[name] = compactJson(value, () => invalidValue(name));
    } else if (name === 'RedrivePolicy') {
      const policy = parseRedrivePolicy(value);
      out[name] = JSON.stringify(policy);
    } else if (name === 'RedriveAllowPolicy') {
      out[name] = JSON.stringify(parseRedriveAllowPolicy(value));
    } else if (FREE_FORM.has(name)) {
      out[name] = value;
    } else {
      throw unknownAttribute(name);
    }
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw invalidAttributeName('You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  if (out.KmsMasterKeyId) out.SqsManagedSseEnabled ??= 'false';
  if (out.SqsManagedSseEnabled === 'true') {
    out.KmsMasterKeyId = null;
    out.KmsDataKeyReusePeriodSeconds = null;
  }
  return out;
}

function invalidValue(name: string) {
  return invalidAttributeValue(`Invalid value for the parameter ${name}.`);
}

function compactJson(value: string, error: () => Error): string {
  try {
    const doc: unknown = JSON.parse(value);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw error();
    return JSON.stringify(doc);
  } catch {
    throw error();
  }
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function parseRedrivePolicy(raw: string): RedrivePolicy {
  const invalid = (reason: string) => invalidParameter('RedrivePolicy', raw, reason);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw invalid('Redrive policy is not a valid JSON map.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('Redrive policy is not a valid JSON map.');
  for (const key of ['deadLetterTargetArn', 'maxReceiveCount']) {
    if (doc[key] === undefined) throw invalid(`Redrive policy does not contain mandatory attribute: ${key}.`);
  }
  const count = Number(doc.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalid(`Invalid value for maxReceiveCount: ${String(doc.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  }
  if (typeof doc.deadLetterTargetArn !== 'string' || !parseQueueArn(doc.deadLetterTargetArn)) {
    throw invalid('Invalid value for deadLetterTargetArn.');
  }
  return { deadLetterTargetArn: doc.deadLetterTargetArn, maxReceiveCount: count };
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

export function parseRedriveAllowPolicy(raw: string): RedriveAllowPolicy {
  const invalid = (reason: string) => invalidParameter('RedriveAllowPolicy', raw, reason);
  let doc: { redrivePermission?: unknown; sourceQueueArns?: unknown };
  try {
    doc = JSON.parse(raw) as typeof doc;
  } catch {
    throw invalid('Redrive allow policy is not a valid JSON map.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('Redrive allow policy is not a valid JSON map.');
  const permission = doc.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalid('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.');
  }
  const arns = doc.sourceQueueArns;
  if (permission !== 'byQueue') {
    if (arns !== undefined) throw invalid('sourceQueueArns can only be specified when redrivePermission is byQueue.');
    return { redrivePermission: permission };
  }
  if (!Array.isArray(arns) || arns.length < 1 || arns.length > 10 || !arns.every((a) => typeof a === 'string')) {
    throw invalid('sourceQueueArns must list 1 to 10 queue ARNs when redrivePermission is byQueue.');
  }
  return { redrivePermission: permission, sourceQueueArns: arns as string[] };
}

/** Whether a dead-letter queue's RedriveAllowPolicy lets `sourceArn` name it in a RedrivePolicy. */
export function allowsSource(deadLetterQueue: QueueRecord, sourceArn: string): boolean {
  const raw = deadLetterQueue.attributes.RedriveAllowPolicy;
  if (!raw) return true;
  const policy = JSON.parse(raw) as RedriveAllowPolicy;
  if (policy.redrivePermission === 'allowAll') return true;
  if (policy.redrivePermission === 'denyAll') return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}

/**
 * GetQueueAttributes' answer for the requested names ('All' for every one). Unknown names are
 * InvalidAttributeName; FIFO-only names asked of a standard queue are left out. Counts are fetched
 * only when asked for.
 */
export async function renderAttributes(
  queue: QueueRecord,
  requested: readonly string[],
  counts: () => Promise<MessageCounts>,
): Promise<Record<string, string>> {
  const all = requested.includes('All');
  const names = all ? [...COMPUTED, ...Object.keys(queue.attributes)].sort() : requested;
  const out: Record<string, string> = {};
  let known: MessageCounts | undefined;
  for (const name of names) {
    if (COUNTS.has(name)) {
      known ??= await counts();
      out[name] = String(
        name === 'ApproximateNumberOfMessages' ? known.visible : name === 'ApproximateNumberOfMessagesNotVisible' ? known.notVisible : known.delayed,
      );
    } else if (name === 'CreatedTimestamp') {
      out[name] = String(queue.createdAt);
    } else if (name === 'LastModifiedTimestamp') {
      out[name] = String(queue.lastModifiedAt);
    } else if (name === 'QueueArn') {
      out[name] = queue.arn;
    } else if (queue.attributes[name] !== undefined) {
      out[name] = queue.attributes[name];
    } else if (!isAttributeName(name)) {
      throw unknownAttribute(name);
    }
  }
  return out;
}

function isAttributeName(name: string): boolean {
  return name in RANGES || BOOLEANS.has(name) || name in CHOICES || FREE_FORM.has(name) || FIFO_ONLY.has(name);
}
