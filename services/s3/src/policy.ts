import type { CallContext } from '@stratus/shared';
import { accessDenied } from './errors.js';
import type { BucketRecord } from './model.js';

// Bucket policies where they bind the account that owns the bucket: Stratus has one principal per
// account and grants it everything, so only an explicit Deny can refuse it anything, as on S3 (a Deny
// in a bucket policy binds the owner's principals too). Statements are matched on principal, action,
// resource and conditions; a condition that needs request context Stratus does not have (source IP,
// Referer, VPC...) makes its statement not apply, so nothing is refused on a guess.

interface Statement {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The request a policy is evaluated against. */
export interface PolicyRequest {
  /** `s3:PutObject`, ... */
  action: string;
  /** `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/key`. */
  resource: string;
  account: string;
  /** Condition keys (lower-cased) and their values for this request. */
  values: Map<string, string | undefined>;
}

function statements(policy: unknown): Statement[] {
  if (typeof policy !== 'string') return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    const s = doc.Statement;
    return Array.isArray(s) ? s : s ? [s] : [];
  } catch {
    return [];
  }
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** IAM wildcard matching: `*` any run, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's');
  return re.test(value);
}

/** Whether a Principal element names everyone, or this account (its root). */
function principalMatches(principal: unknown, account: string): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const aws = list((principal as { AWS?: unknown }).AWS);
  return aws.some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`);
}

type Outcome = boolean | 'unknown';

const STRING_OPS: Record<string, (actual: string, expected: string) => boolean> = {
  stringequals: (a, e) => a === e,
  stringnotequals: (a, e) => a !== e,
  stringequalsignorecase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  stringnotequalsignorecase: (a, e) => a.toLowerCase() !== e.toLowerCase(),
  stringlike: (a, e) => wildcard(e, a),
  stringnotlike: (a, e) => !wildcard(e, a),
  bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  arnequals: (a, e) => a === e,
  arnlike: (a, e) => wildcard(e, a),
  arnnotequals: (a, e) => a !== e,
  arnnotlike: (a, e) => !wildcard(e, a),
};

/** One condition operator block: all its keys must hold. */
function conditionHolds(operator: string, block: Record<string, unknown>, values: Map<string, string | undefined>): Outcome {
  let op = operator.toLowerCase();
  if (op.startsWith('foranyvalue:') || op.startsWith('forallvalues:')) op = op.slice(op.indexOf(':') + 1);
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);
  const negated = op.includes('not');
  for (const [rawKey, expected] of Object.entries(block)) {
    const key = rawKey.toLowerCase();
    if (!values.has(key) && op !== 'null') return 'unknown';
    const actual = values.get(key);
    const wanted = list(expected);
    if (op === 'null') {
      if (!values.has(key)) return 'unknown';
      const isNull = actual === undefined;
      if (!wanted.some((w) => (w.toLowerCase() === 'true') === isNull)) return false;
      continue;
    }
    const test = STRING_OPS[op];
    if (!test) return 'unknown';
    if (actual === undefined) {
      // A key the request lacks: ...IfExists holds; a negated operator holds; the others do not.
      if (ifExists || negated) continue;
      return false;
    }
    const ok = negated ? wanted.every((w) => test(actual, w)) : wanted.some((w) => test(actual, w));
    if (!ok) return false;
  }
  return true;
}

function statementApplies(s: Statement, r: PolicyRequest): Outcome {
  if (s.Principal !== undefined && !principalMatches(s.Principal, r.account)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, r.account)) return false;
  if (s.Action !== undefined && !list(s.Action).some((a) => wildcard(a, r.action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => wildcard(a, r.action, true))) return false;
  if (s.Resource !== undefined && !list(s.Resource).some((p) => wildcard(p, r.resource))) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some((p) => wildcard(p, r.resource))) return false;
  let outcome: Outcome = true;
  for (const [operator, block] of Object.entries(s.Condition ?? {})) {
    const holds = conditionHolds(operator, block ?? {}, r.values);
    if (holds === false) return false;
    if (holds === 'unknown') outcome = 'unknown';
  }
  return outcome;
}

/** Whether the bucket's policy explicitly denies the request (a statement that surely applies). */
export function policyDenies(policy: unknown, request: PolicyRequest): boolean {
  return statements(policy).some((s) => s.Effect === 'Deny' && statementApplies(s, request) === true);
}

/** Conditions that tie a statement to known callers, which make an Allow to everyone not public. */
const RESTRICTING_KEYS = ['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:principalaccount', 'aws:principalorgid', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:userid', 'aws:principalarn'];

/** S3's "public" policy: an Allow to everyone (`*`) that no condition ties to known callers or networks. */
export function isPublicPolicy(policy: unknown): boolean {
  return statements(policy).some((s) => {
    if (s.Effect !== 'Allow' || !principalMatches(s.Principal, '\0')) return false;
    const keys = Object.values(s.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}).map((k) => k.toLowerCase()));
    return !keys.some((k) => RESTRICTING_KEYS.includes(k));
  });
}

// ---- which request an operation is ----

/** The IAM action of an S3 operation, where it is not `s3:<Operation>`. */
const ACTIONS: Record<string, string> = {
  HeadObject: 's3:GetObject',
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  ListParts: 's3:ListMultipartUploadParts',
  CopyObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  GetObjectAttributes: 's3:GetObjectAttributes',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration',
  DeleteBucketLifecycle: 's3:PutLifecycleConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketCors: 's3:GetBucketCORS',
  PutBucketCors: 's3:PutBucketCORS',
  DeleteBucketCors: 's3:PutBucketCORS',
  DeleteBucketTagging: 's3:PutBucketTagging',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  DeleteBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  DeleteBucketWebsite: 's3:DeleteBucketWebsite',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 's3:PutBucketObjectLockConfiguration',
  GetBucketReplication: 's3:GetReplicationConfiguration',
  PutBucketReplication: 's3:PutReplicationConfiguration',
  DeleteBucketReplication: 's3:PutReplicationConfiguration',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 's3:PutAccelerateConfiguration',
};

/** Versioned reads and deletes are their own actions. */
const VERSION_ACTIONS: Record<string, string> = {
  GetObject: 's3:GetObjectVersion',
  HeadObject: 's3:GetObjectVersion',
  DeleteObject: 's3:DeleteObjectVersion',
  GetObjectAcl: 's3:GetObjectVersionAcl',
  PutObjectAcl: 's3:PutObjectVersionAcl',
  GetObjectTagging: 's3:GetObjectVersionTagging',
  PutObjectTagging: 's3:PutObjectVersionTagging',
  DeleteObjectTagging: 's3:DeleteObjectVersionTagging',
};

/** Operations the bucket owner can always call, so that no policy locks it out of its own bucket. */
const NEVER_DENIED = new Set(['PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy', 'EvaluateCors']);

/** Request members that are condition keys (`s3:x-amz-acl` ...), lower-cased. */
const KEY_MEMBERS: Record<string, string> = {
  's3:x-amz-server-side-encryption': 'ServerSideEncryption',
  's3:x-amz-server-side-encryption-aws-kms-key-id': 'SSEKMSKeyId',
  's3:x-amz-server-side-encryption-customer-algorithm': 'SSECustomerAlgorithm',
  's3:x-amz-acl': 'ACL',
  's3:x-amz-storage-class': 'StorageClass',
  's3:x-amz-metadata-directive': 'MetadataDirective',
  's3:x-amz-copy-source': 'CopySource',
  's3:x-amz-website-redirect-location': 'WebsiteRedirectLocation',
  's3:x-amz-grant-read': 'GrantRead',
  's3:x-amz-grant-write': 'GrantWrite',
  's3:x-amz-grant-read-acp': 'GrantReadACP',
  's3:x-amz-grant-write-acp': 'GrantWriteACP',
  's3:x-amz-grant-full-control': 'GrantFullControl',
  's3:object-lock-mode': 'ObjectLockMode',
  's3:object-lock-legal-hold': 'ObjectLockLegalHoldStatus',
  's3:prefix': 'Prefix',
  's3:delimiter': 'Delimiter',
  's3:max-keys': 'MaxKeys',
  's3:versionid': 'VersionId',
};

/** The policy request of an operation on its bucket. */
export function requestOf(operation: string, input: Record<string, unknown>, ctx: CallContext): PolicyRequest | undefined {
  if (NEVER_DENIED.has(operation) || typeof input.Bucket !== 'string') return undefined;
  const versioned = input.VersionId !== undefined && input.VersionId !== null;
  const action = (versioned ? VERSION_ACTIONS[operation] : undefined) ?? ACTIONS[operation] ?? `s3:${operation}`;
  const key = typeof input.Key === 'string' ? input.Key : undefined;
  const resource = key !== undefined ? `arn:aws:s3:::${input.Bucket}/${key}` : `arn:aws:s3:::${input.Bucket}`;
  const values = new Map<string, string | undefined>();
  for (const [conditionKey, member] of Object.entries(KEY_MEMBERS)) {
    const v = input[member];
    values.set(conditionKey, v === undefined || v === null ? undefined : String(v));
  }
  values.set('aws:securetransport', 'false');
  values.set('aws:principalaccount', ctx.account);
  values.set('aws:principaltype', 'Account');
  values.set('s3:authtype', 'REST-HEADER');
  return { action, resource, account: ctx.account, values };
}

// ---- the operation being served ----

/** The operation being served, as the bucket policy check needs to know it. */
export interface S3Call {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly ctx: CallContext;
}

/**
 * Refuses the operation being served (AccessDenied) when its bucket's policy denies it. Called where
 * the operation reads its bucket; the bucket a copy reads from is not its own and is not checked.
 */
export function checkBucketPolicy(bucket: BucketRecord, call: S3Call): void {
  if (bucket.config.policy === undefined) return;
  if (call.input.Bucket !== bucket.name) return;
  const request = requestOf(call.operation, call.input, call.ctx);
  if (request && policyDenies(bucket.config.policy, request)) throw accessDenied();
}

/** Whether the policy denies one object of a multi-object operation (DeleteObjects). */
export function policyDeniesObject(bucket: BucketRecord, action: string, key: string, ctx: CallContext, versionId?: string): boolean {
  if (bucket.config.policy === undefined) return false;
  const values = new Map<string, string | undefined>([
    ['aws:securetransport', 'false'],
    ['s3:versionid', versionId],
  ]);
  return policyDenies(bucket.config.policy, { action, resource: `arn:aws:s3:::${bucket.name}/${key}`, account: ctx.account, values });
}
