import type { CallContext } from '@stratus/shared';
import {
  bucketAlreadyExists,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  illegalLocationConstraint,
  invalidArgument,
  invalidBucketAclWithObjectOwnership,
  invalidBucketName,
  invalidLocationConstraint,
  invalidTag,
  noSuchBucket,
} from '../errors.js';
import { bucketArn, isValidBucketName, ownerOf, type BucketRecord, type Tag } from '../model.js';
import { REGIONS, regionOfConstraint } from '../regions.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { tagSetOf, validateBucketTags } from '../tags.js';
import { aclOf } from '../acl.js';
import { defaultBucketConfig, ownershipConfig } from './bucket-config.js';

interface CreateBucketInput {
  Bucket: string;
  CreateBucketConfiguration?: { LocationConstraint?: string; Tags?: Tag[] };
  ACL?: string;
  ObjectLockEnabledForBucket?: boolean;
  ObjectOwnership?: string;
}

interface ListBucketsInput {
  MaxBuckets?: number;
  ContinuationToken?: string;
  Prefix?: string;
  BucketRegion?: string;
}

const MAX_BUCKETS = 10_000;

/** Where S3 says a new bucket is: path-style in us-east-1, its own endpoint elsewhere. */
function locationOf(bucket: BucketRecord, ctx: CallContext): string {
  if (bucket.region === 'us-east-1') return `/${bucket.name}`;
  return `http://${bucket.name}.${ctx.host || `s3.${bucket.region}.amazonaws.com`}/`;
}

/** The region the bucket goes to, by S3's LocationConstraint rules for the endpoint's region. */
function bucketRegion(ctxRegion: string, constraint: string | undefined): string {
  if (ctxRegion === 'us-east-1') {
    if (constraint === undefined) return 'us-east-1';
    if (constraint === 'us-east-1' || (constraint !== 'EU' && !REGIONS.has(constraint))) throw invalidLocationConstraint(constraint);
    return regionOfConstraint(constraint);
  }
  if (constraint === undefined || regionOfConstraint(constraint) !== ctxRegion) throw illegalLocationConstraint(constraint);
  return ctxRegion;
}

export function bucketOperations(rt: S3Runtime): Operations {
  const { store, clock } = rt;

  return {
    async CreateBucket(input: CreateBucketInput, ctx: CallContext) {
      const name = input.Bucket;
      if (!isValidBucketName(name)) throw invalidBucketName(name);
      const configuration = input.CreateBucketConfiguration;
      const constraint = configuration?.LocationConstraint || undefined;
      const region = bucketRegion(ctx.region, constraint);
      const tags = configuration?.Tags ? tagSetOf({ TagSet: configuration.Tags }) : undefined;
      if (tags?.some((t) => t.Key.startsWith('aws:'))) {
        throw invalidTag('User-defined tag keys can\'t start with "aws:". This prefix is reserved for system tags. Remove "aws:" from your tag keys and try again.');
      }
      if (tags) validateBucketTags(tags);
      const ownership = input.ObjectOwnership;
      if (ownership !== undefined && !['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'].includes(ownership)) {
        throw invalidArgument(`Invalid x-amz-object-ownership header: ${ownership}`, 'x-amz-object-ownership');
      }
      const record: BucketRecord = {
        name,
        account: ctx.account,
        region,
        ...(region !== 'us-east-1' ? { locationConstraint: constraint } : {}),
        createdAt: clock.now(),
        ...(input.ObjectLockEnabledForBucket ? { objectLockEnabled: true, versioning: 'Enabled' as const } : {}),
        config: {
          ...defaultBucketConfig(rt.legacyBucketDefaults),
          ownership: ownershipConfig(ownership ?? (rt.legacyBucketDefaults ? 'ObjectWriter' : 'BucketOwnerEnforced')),
          ...(tags && tags.length > 0 ? { tagging: tags } : {}),
          ...(input.ObjectLockEnabledForBucket ? { objectLock: { ObjectLockEnabled: 'Enabled' } } : {}),
        },
      };
      // A new bucket that owns its objects takes no ACL granting anyone else anything.
      const acl = aclOf(input as unknown as Record<string, unknown>, record, ctx.account, { notSupported: invalidBucketAclWithObjectOwnership, newBucket: true });
      const { created, bucket } = await store.createBucket(acl ? { ...record, config: { ...record.config, acl } } : record);
      if (!created) {
        if (bucket.account !== ctx.account) throw bucketAlreadyExists(name);
        // us-east-1 keeps its legacy answer: creating a bucket you own there again succeeds.
        const legacy = ctx.region === 'us-east-1' && bucket.region === 'us-east-1' && !constraint && !(tags && tags.length > 0);
        if (!legacy) throw bucketAlreadyOwnedByYou(name);
      }
      return { Location: locationOf(bucket, ctx), BucketArn: bucketArn(bucket) };
    },

    async HeadBucket(input: { Bucket: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      return { BucketRegion: bucket.region, BucketArn: bucketArn(bucket), AccessPointAlias: false };
    },

    async ListBuckets(input: ListBucketsInput, ctx: CallContext) {
      const max = input.MaxBuckets ?? MAX_BUCKETS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_BUCKETS) {
        throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000', 'max-buckets', max);
      }
      if (input.BucketRegion !== undefined && !REGIONS.has(input.BucketRegion)) {
        throw invalidArgument(`Argument value ${input.BucketRegion} is not a valid AWS Region`, 'bucket-region');
      }
      let after: string | undefined;
      if (input.ContinuationToken) {
        after = Buffer.from(input.ContinuationToken, 'base64url').toString('utf8');
      }
      const prefix = input.Prefix ?? '';
      const all = (await store.listBuckets(ctx.account)).filter(
        (b) => b.name.startsWith(prefix) && (input.BucketRegion === undefined || b.region === input.BucketRegion) && (after === undefined || b.name > after),
      );
      const page = all.slice(0, max);
      const out: Record<string, unknown> = {
        Buckets: page.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region, BucketArn: bucketArn(b) })),
        Owner: ownerOf(ctx.account),
      };
      if (all.length > max) out.ContinuationToken = Buffer.from(page[page.length - 1].name, 'utf8').toString('base64url');
      if (input.Prefix !== undefined) out.Prefix = input.Prefix;
      return out;
    },

    async DeleteBucket(input: { Bucket: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const result = await store.deleteBucket(input.Bucket);
      if (result.outcome === 'missing') throw noSuchBucket(input.Bucket);
      if (result.outcome === 'notEmpty') throw bucketNotEmpty(input.Bucket, bucket.versioning !== undefined);
      rt.dropBlobs(result.orphans);
      return { $status: 204 };
    },

    async GetBucketLocation(input: { Bucket: string; ExpectedBucketOwner?: string }, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      return bucket.locationConstraint ? { LocationConstraint: bucket.locationConstraint } : {};
    },
  };
}
