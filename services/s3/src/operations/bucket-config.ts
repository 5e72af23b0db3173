import type { CallContext } from '@stratus/shared';
import { randomUUID } from 'node:crypto';
import {
  accessDenied,
  crossLocationLogging,
  invalidArgument,
  invalidTargetBucketForLogging,
  invalidBucketState,
  invalidRequest,
  malformedPolicy,
  malformedXml,
  noSuchConfiguration,
} from '../errors.js';
import { DAY_MS, ownerOf, type BucketRecord, type ConfigKind } from '../model.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { tagSetOf, validateBucketTags } from '../tags.js';
import { aclGrants, aclOf } from '../acl.js';
import { validateLockConfiguration } from '../object-lock.js';
import { isPublicPolicy } from '../policy.js';

/**
 * What a new bucket has without asking: SSE-S3 encryption, and public access blocked (S3 since April
 * 2023; `legacy`: S3 before, no public access block).
 */
export function defaultBucketConfig(legacy = false): Partial<Record<ConfigKind, unknown>> {
  return {
    encryption: defaultEncryption(),
    ...(legacy ? {} : { publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }),
  };
}

function defaultEncryption(): unknown {
  return { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] };
}

export function ownershipConfig(ownership: string): unknown {
  return { Rules: [{ ObjectOwnership: ownership }] };
}

interface BucketInput {
  Bucket: string;
  ExpectedBucketOwner?: string;
  [member: string]: unknown;
}

const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

function validateCors(config: unknown): unknown {
  const rules = (config as { CORSRules?: unknown[] } | undefined)?.CORSRules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100) throw malformedXml();
  for (const rule of rules as Array<{ AllowedMethods?: unknown; AllowedOrigins?: unknown }>) {
    if (!Array.isArray(rule.AllowedMethods) || rule.AllowedMethods.length === 0) throw malformedXml();
    if (!Array.isArray(rule.AllowedOrigins) || rule.AllowedOrigins.length === 0) throw malformedXml();
    for (const m of rule.AllowedMethods as string[]) {
      if (!CORS_METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
  }
  return { CORSRules: rules };
}

function validatePolicy(policy: unknown): string {
  if (typeof policy !== 'string' || !policy.trimStart().startsWith('{')) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || !('Statement' in doc)) throw malformedPolicy('Missing required field Statement');
  return policy;
}

function validateLifecycle(config: unknown): { Rules: unknown[] } {
  const rules = (config as { Rules?: unknown[] } | undefined)?.Rules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules as Array<Record<string, any>>) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
    if (rule.Filter === undefined && rule.Prefix === undefined) throw malformedXml();
    if (rule.Filter !== undefined && rule.Prefix !== undefined) throw malformedXml();
    const f = rule.Filter as Record<string, any> | undefined;
    if (f) {
      const predicates = ['Prefix', 'Tag', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'].filter((p) => f[p] !== undefined);
      if (predicates.length > 1) throw malformedXml();
      const tags: Array<{ Key: string }> = f.And?.Tags ?? [];
      if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw invalidRequest('Duplicate Tag Keys are not allowed.');
    }
    const actions = ['Expiration', 'Transitions', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransitions', 'AbortIncompleteMultipartUpload'];
    if (!actions.some((a) => rule[a] !== undefined)) throw malformedXml();
    const e = rule.Expiration as Record<string, unknown> | undefined;
    if (e) {
      const set = ['Date', 'Days', 'ExpiredObjectDeleteMarker'].filter((k) => e[k] !== undefined);
      if (set.length !== 1) throw malformedXml();
      if (e.Date !== undefined && Number(e.Date) % DAY_MS !== 0) {
        throw invalidArgument("'Date' must be at midnight GMT", 'Date', new Date(Number(e.Date)).toISOString());
      }
      if (e.Days !== undefined && !(Number(e.Days) > 0)) throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', e.Days);
    }
    for (const t of [...((rule.Transitions as Array<Record<string, unknown>> | undefined) ?? []), ...((rule.NoncurrentVersionTransitions as Array<Record<string, unknown>> | undefined) ?? [])]) {
      if (t.Date !== undefined && t.Date !== null && Number(t.Date) % DAY_MS !== 0) {
        throw invalidArgument("'Date' must be at midnight GMT", 'Date', new Date(Number(t.Date)).toISOString());
      }
    }
    if (rule.ID !== undefined) {
      if (String(rule.ID).length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
      if (ids.has(rule.ID)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID);
      ids.add(rule.ID);
    }
  }
  // S3 names the rules that come without an ID.
  return { Rules: rules.map((r) => ((r as { ID?: unknown }).ID === undefined ? { ...(r as object), ID: generatedRuleId() } : r)) };
}

/** An ID like those S3 gives lifecycle rules that have none: a random UUID, base64. */
function generatedRuleId(): string {
  return Buffer.from(randomUUID()).toString('base64');
}

export function bucketConfigOperations(rt: S3Runtime): Operations {
  const { store } = rt;

  const bucketOf = (call: S3Call, input: BucketInput) => requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);

  const setConfig = async (call: S3Call, input: BucketInput, kind: ConfigKind, value: unknown): Promise<BucketRecord> => {
    await bucketOf(call, input);
    return store.updateBucket(input.Bucket, { config: { [kind]: value } });
  };

  const getConfig = async (call: S3Call, input: BucketInput, kind: ConfigKind, notFound?: [string, string]): Promise<any> => {
    const bucket = await bucketOf(call, input);
    const value = bucket.config[kind];
    if (value === undefined && notFound) throw noSuchConfiguration(notFound[0], notFound[1], bucket.name);
    return value;
  };

  const deleted = { $status: 204 };

  return {
    // ---- tagging ----
    async PutBucketTagging(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const tags = tagSetOf(input.Tagging);
      validateBucketTags(tags);
      await setConfig(call, input, 'tagging', tags);
      return deleted;
    },
    async GetBucketTagging(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const tags = await getConfig(call, input, 'tagging', ['NoSuchTagSet', 'The TagSet does not exist']);
      return { TagSet: tags };
    },
    async DeleteBucketTagging(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'tagging', null);
      return deleted;
    },

    // ---- CORS ----
    async PutBucketCors(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'cors', validateCors(input.CORSConfiguration));
      return {};
    },
    async GetBucketCors(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return getConfig(call, input, 'cors', ['NoSuchCORSConfiguration', 'The CORS configuration does not exist']);
    },
    async DeleteBucketCors(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'cors', null);
      return deleted;
    },

    // ---- policy ----
    async PutBucketPolicy(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      const policy = validatePolicy(input.Policy);
      // Block Public Access: a policy that opens the bucket to everyone is refused.
      if ((bucket.config.publicAccessBlock as { BlockPublicPolicy?: boolean } | undefined)?.BlockPublicPolicy && isPublicPolicy(policy)) throw accessDenied();
      await store.updateBucket(bucket.name, { config: { policy } });
      return deleted;
    },
    async GetBucketPolicy(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return { Policy: await getConfig(call, input, 'policy', ['NoSuchBucketPolicy', 'The bucket policy does not exist']) };
    },
    async DeleteBucketPolicy(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'policy', null);
      return deleted;
    },
    async GetBucketPolicyStatus(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const policy = await getConfig(call, input, 'policy', ['NoSuchBucketPolicy', 'The bucket policy does not exist']);
      return { PolicyStatus: { IsPublic: isPublicPolicy(policy) } };
    },

    // ---- lifecycle ----
    async PutBucketLifecycleConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const config = validateLifecycle(input.LifecycleConfiguration);
      const minimumSize = (input.TransitionDefaultMinimumObjectSize as string | undefined) ?? 'all_storage_classes_128K';
      if (minimumSize !== 'all_storage_classes_128K' && minimumSize !== 'varies_by_storage_class') {
        throw invalidRequest(`Invalid TransitionDefaultMinimumObjectSize found: ${minimumSize}`);
      }
      await setConfig(call, input, 'lifecycle', { ...config, TransitionDefaultMinimumObjectSize: minimumSize });
      rt.lifecycleChanged();
      return { TransitionDefaultMinimumObjectSize: minimumSize };
    },
    async GetBucketLifecycleConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return getConfig(call, input, 'lifecycle', ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist']);
    },
    async DeleteBucketLifecycle(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'lifecycle', null);
      return deleted;
    },

    // ---- encryption: every bucket is encrypted; deleting the configuration restores SSE-S3 ----
    async PutBucketEncryption(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const config = input.ServerSideEncryptionConfiguration as { Rules?: Array<Record<string, any>> } | undefined;
      if (!config?.Rules?.length) throw malformedXml();
      for (const rule of config.Rules) {
        const byDefault = rule.ApplyServerSideEncryptionByDefault;
        if (!byDefault?.SSEAlgorithm) throw malformedXml();
        if (!['AES256', 'aws:kms', 'aws:kms:dsse'].includes(byDefault.SSEAlgorithm)) throw malformedXml();
        if (byDefault.KMSMasterKeyID && byDefault.SSEAlgorithm === 'AES256') {
          throw invalidArgument(
            'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
            'ApplyServerSideEncryptionByDefault',
          );
        }
      }
      await setConfig(call, input, 'encryption', config);
      return {};
    },
    async GetBucketEncryption(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return { ServerSideEncryptionConfiguration: (await getConfig(call, input, 'encryption')) ?? defaultEncryption() };
    },
    async DeleteBucketEncryption(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'encryption', defaultEncryption());
      return deleted;
    },

    // ---- ownership controls ----
    async PutBucketOwnershipControls(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const rules = (input.OwnershipControls as { Rules?: Array<{ ObjectOwnership?: string }> } | undefined)?.Rules;
      if (!rules || rules.length !== 1) throw malformedXml();
      const value = rules[0].ObjectOwnership;
      if (!value || !['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'].includes(value)) throw malformedXml();
      await setConfig(call, input, 'ownership', ownershipConfig(value));
      return {};
    },
    async GetBucketOwnershipControls(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return { OwnershipControls: await getConfig(call, input, 'ownership', ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found']) };
    },
    async DeleteBucketOwnershipControls(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'ownership', null);
      return deleted;
    },

    // ---- public access block ----
    async PutPublicAccessBlock(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const c = (input.PublicAccessBlockConfiguration ?? {}) as Record<string, unknown>;
      const flags = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];
      const config = Object.fromEntries(flags.map((f) => [f, c[f] === true]));
      await setConfig(call, input, 'publicAccessBlock', config);
      return {};
    },
    async GetPublicAccessBlock(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return {
        PublicAccessBlockConfiguration: await getConfig(call, input, 'publicAccessBlock', [
          'NoSuchPublicAccessBlockConfiguration',
          'The public access block configuration was not found',
        ]),
      };
    },
    async DeletePublicAccessBlock(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'publicAccessBlock', null);
      return deleted;
    },

    // ---- ACL ----
    async PutBucketAcl(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      const acl = aclOf(input, bucket, bucket.account, { required: true });
      await store.updateBucket(bucket.name, { config: { acl } });
      return {};
    },
    async GetBucketAcl(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      return { Owner: ownerOf(bucket.account), Grants: aclGrants(bucket.config.acl, bucket.account) };
    },

    // ---- website ----
    async PutBucketWebsite(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const config = input.WebsiteConfiguration as Record<string, any> | undefined;
      if (!config) throw malformedXml();
      if (config.RedirectAllRequestsTo && (config.IndexDocument || config.ErrorDocument || config.RoutingRules)) {
        throw invalidArgument('RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo', 'not null');
      }
      if (!config.RedirectAllRequestsTo) {
        const suffix = config.IndexDocument?.Suffix;
        if (!suffix) throw invalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument', 'null');
        if (suffix.includes('/')) throw invalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
      }
      await setConfig(call, input, 'website', config);
      return {};
    },
    async GetBucketWebsite(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return getConfig(call, input, 'website', ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration']);
    },
    async DeleteBucketWebsite(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'website', null);
      return deleted;
    },

    // ---- accelerate, logging, request payment ----
    async PutBucketAccelerateConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const status = (input.AccelerateConfiguration as { Status?: string } | undefined)?.Status;
      if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
      if (input.Bucket.includes('.')) throw invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
      await setConfig(call, input, 'accelerate', { Status: status });
      return {};
    },
    async GetBucketAccelerateConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return (await getConfig(call, input, 'accelerate')) ?? {};
    },
    async PutBucketLogging(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      const status = (input.BucketLoggingStatus ?? {}) as { LoggingEnabled?: { TargetBucket?: string } };
      const target = status.LoggingEnabled?.TargetBucket;
      if (status.LoggingEnabled) {
        const targetBucket = target ? await store.getBucket(target) : undefined;
        if (!targetBucket) throw invalidTargetBucketForLogging(target ?? '');
        if (targetBucket.region !== bucket.region) throw crossLocationLogging(targetBucket.region);
      }
      await store.updateBucket(bucket.name, { config: { logging: status.LoggingEnabled ? status : null } });
      return {};
    },
    async GetBucketLogging(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return (await getConfig(call, input, 'logging')) ?? {};
    },
    async PutBucketRequestPayment(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const payer = (input.RequestPaymentConfiguration as { Payer?: string } | undefined)?.Payer;
      if (payer !== 'Requester' && payer !== 'BucketOwner') throw malformedXml();
      await setConfig(call, input, 'requestPayment', { Payer: payer });
      return {};
    },
    async GetBucketRequestPayment(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return (await getConfig(call, input, 'requestPayment')) ?? { Payer: 'BucketOwner' };
    },

    // ---- replication ----
    async PutBucketReplication(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      if (bucket.versioning !== 'Enabled') throw invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
      if (!input.ReplicationConfiguration) throw malformedXml();
      await store.updateBucket(bucket.name, { config: { replication: input.ReplicationConfiguration } });
      return {};
    },
    async GetBucketReplication(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return {
        ReplicationConfiguration: await getConfig(call, input, 'replication', ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found']),
      };
    },
    async DeleteBucketReplication(input: BucketInput, _ctx: CallContext, call: S3Call) {
      await setConfig(call, input, 'replication', null);
      return deleted;
    },

    // ---- object lock (configuration only) ----
    async PutObjectLockConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      const bucket = await bucketOf(call, input);
      if (bucket.versioning !== 'Enabled') throw invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
      const config = validateLockConfiguration(input.ObjectLockConfiguration as Record<string, unknown> | undefined);
      await store.updateBucket(bucket.name, { config: { objectLock: config } });
      return {};
    },
    async GetObjectLockConfiguration(input: BucketInput, _ctx: CallContext, call: S3Call) {
      return {
        ObjectLockConfiguration: await getConfig(call, input, 'objectLock', [
          'ObjectLockConfigurationNotFoundError',
          'Object Lock configuration does not exist for this bucket',
        ]),
      };
    },
  };
}
