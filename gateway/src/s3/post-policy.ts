import { AwsError } from '@stratus/shared';

/**
 * The POST policy of an S3 browser upload (a base64 JSON document in the form's `policy` field): its
 * expiration, and conditions every form field must meet, checked as S3 checks them. Signatures are not
 * verified (Stratus verifies none).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */

export interface PostPolicy {
  expiration: number;
  conditions: Condition[];
}

type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number };

/** Fields a policy need not mention: the policy itself, its signature, the file, x-ignore-*. */
const EXEMPT = new Set(['policy', 'signature', 'awsaccesskeyid', 'x-amz-signature', 'file']);

function invalidPolicy(message: string): AwsError {
  return new AwsError('InvalidPolicyDocument', `Invalid Policy: ${message}`, 400);
}

function denied(message: string): AwsError {
  return new AwsError('AccessDenied', `Invalid according to Policy: ${message}`, 403);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Decodes and checks the shape of a policy (400 InvalidPolicyDocument when it is not one). */
export function parsePostPolicy(encoded: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  if (typeof expiration !== 'string' || !ISO_8601.test(expiration) || Number.isNaN(Date.parse(expiration))) {
    throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  }
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalidPolicy('Invalid conditions: conditions must be a list.');
  return { expiration: Date.parse(expiration), conditions: conditions.map(conditionOf) };
}

function conditionOf(c: unknown): Condition {
  if (Array.isArray(c)) {
    const op = typeof c[0] === 'string' ? c[0].toLowerCase() : '';
    if (op === 'content-length-range') {
      const [min, max] = [Number(c[1]), Number(c[2])];
      if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
        throw invalidPolicy(`Invalid content-length-range: ${JSON.stringify(c)}`);
      }
      return { kind: 'content-length-range', min, max };
    }
    if (op !== 'eq' && op !== 'starts-with') throw invalidPolicy(`Invalid condition operator: ${JSON.stringify(c[0])}`);
    if (c.length !== 3 || typeof c[1] !== 'string' || !c[1].startsWith('$') || typeof c[2] !== 'string') {
      throw invalidPolicy(`Invalid condition: ${JSON.stringify(c)}`);
    }
    return { kind: op, field: c[1].slice(1).toLowerCase(), value: c[2], text: JSON.stringify(c) };
  }
  if (c && typeof c === 'object') {
    const entries = Object.entries(c as Record<string, unknown>);
    if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0];
    if (typeof value !== 'string') throw invalidPolicy(`Invalid Simple-Condition: value of '${name}' must be a string.`);
    return { kind: 'eq', field: name.toLowerCase(), value, text: JSON.stringify({ [name]: value }) };
  }
  throw invalidPolicy(`Invalid condition: ${JSON.stringify(c)}`);
}

/** The request's field values conditions are checked against (`bucket` is the bucket posted to). */
export type PolicyFields = Map<string, string>;

/**
 * Checks a form against its policy: not expired (403), every condition met (403), every field
 * mentioned by a condition (403).
 */
export function checkPostPolicy(policy: PostPolicy, fields: PolicyFields, now: number): void {
  if (policy.expiration < now) throw denied('Policy expired.');
  const mentioned = new Set<string>();
  for (const c of policy.conditions) {
    if (c.kind === 'content-length-range') continue;
    mentioned.add(c.field);
    const actual = fields.get(c.field) ?? '';
    const ok = c.kind === 'eq' ? actual === c.value : actual.startsWith(c.value);
    if (!ok) throw denied(`Policy Condition failed: ${c.text}`);
  }
  const extra = [...fields.keys()].filter((f) => f !== 'bucket' && !EXEMPT.has(f) && !f.startsWith('x-ignore-') && !mentioned.has(f));
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

/** The file's size against the policy's content-length-range (400 EntityTooSmall / EntityTooLarge). */
export function checkContentLength(policy: PostPolicy, size: number): void {
  for (const c of policy.conditions) {
    if (c.kind !== 'content-length-range') continue;
    if (size < c.min) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
        fields: { ProposedSize: String(size), MinSizeAllowed: String(c.min) },
      });
    }
    if (size > c.max) {
      throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
        fields: { ProposedSize: String(size), MaxSizeAllowed: String(c.max) },
      });
    }
  }
}
