import type { Bus, CallContext, Clock, Logger } from '@stratus/shared';
import type { BlobStore } from '@stratus/shared/blobs/index';
import { accessDenied, invalidBucketOwner, noSuchBucket } from './errors.js';
import type { BucketRecord } from './model.js';
import { checkBucketPolicy, type S3Call } from './policy.js';

export type { S3Call } from './policy.js';
import type { Notifier, S3Event } from './notifications.js';
import type { S3Store } from './store/types.js';

/** What every S3 operation works with: the store, the blob store, the clock, the bus. */
export interface S3Runtime {
  readonly store: S3Store;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly bus: Bus;
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** New buckets get S3's pre-2023 defaults, ObjectWriter and no public access block (unless STRATUS_S3_BUCKET_DEFAULTS=current). */
  readonly legacyBucketDefaults: boolean;
  /** Deletes, in the background, blobs that no record references any more. */
  dropBlobs(ids: readonly string[]): void;
  /** A bucket's lifecycle configuration changed: run the lifecycle sweep before the next request. */
  lifecycleChanged(): void;
}

/** An S3 operation: a bus handler that is also given the call it serves (for the bucket policy check). */
export type S3Handler = (input: any, ctx: CallContext, call: S3Call) => Promise<unknown> | unknown;

export type Operations = Record<string, S3Handler>;

const ACCOUNT_ID = /^\d{12}$/;

/** The bucket, or NoSuchBucket; `x-amz-expected-bucket-owner` checked when given. */
export async function requireBucket(rt: S3Runtime, name: string, expectedOwner: string | undefined, call: S3Call): Promise<BucketRecord> {
  const bucket = await rt.store.getBucket(name);
  if (!bucket) throw noSuchBucket(name);
  checkExpectedOwner(bucket, expectedOwner);
  checkBucketPolicy(bucket, call);
  return bucket;
}

export function checkExpectedOwner(bucket: BucketRecord, expectedOwner: string | undefined): void {
  if (expectedOwner === undefined || expectedOwner === null) return;
  if (!ACCOUNT_ID.test(expectedOwner)) throw invalidBucketOwner(expectedOwner);
  if (expectedOwner !== bucket.account) throw accessDenied();
}

/** Emits an event notification for a change, when the bucket has any configured. */
export function notify(rt: S3Runtime, ctx: CallContext, bucket: BucketRecord, name: string, object: Omit<S3Event, 'name' | 'bucket' | 'ctx' | 'time'>): void {
  if (!bucket.config.notification) return;
  rt.notifier.emit({ name, bucket, ctx, time: rt.clock.now(), ...object });
}
