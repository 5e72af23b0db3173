import { join } from 'node:path';
import type { Handler, Service, ServiceRuntime, StratusConfig } from '@stratus/shared';
import { BlobStore } from '@stratus/shared/blobs/index';
import { evaluateCors, type CorsRequest } from './cors.js';
import { noSuchBucket } from './errors.js';
import { Notifier } from './notifications.js';
import { bucketConfigOperations } from './operations/bucket-config.js';
import { bucketOperations } from './operations/buckets.js';
import { copyOperations } from './operations/copy.js';
import { listingOperations } from './operations/listing.js';
import { multipartOperations } from './operations/multipart.js';
import { notificationOperations } from './operations/notifications.js';
import { objectLockOperations } from './operations/object-lock.js';
import { objectOperations } from './operations/objects.js';
import { taggingOperations } from './operations/tagging.js';
import { torrentOperations } from './operations/torrent.js';
import { versioningOperations } from './operations/versioning.js';
import type { Operations, S3Runtime } from './runtime.js';
import { MemoryStore } from './store/memory.js';
import { BucketMissingError, type S3Store } from './store/types.js';
import { LifecycleSweeper } from './sweeper.js';

export interface S3ServiceOptions {
  /** A store to use instead of the one config selects (tests, other backends). */
  store?: S3Store;
}

/** What `store/redis.js` exports for distributed mode. */
interface RedisStoreModule {
  RedisS3Store: { connect(url: string): Promise<S3Store> };
}

/** The S3 service plus what tests need to wait for its background work. */
export interface S3Service extends Service {
  /** Resolves once queued event notifications and blob deletions are done. */
  idle(): Promise<void>;
}

/**
 * S3's operation table. Bodies live in the runtime's BlobStore (the one the gateway streams request
 * bodies into); metadata in Redis when config.redisUrl is set (replicas share it), else in a
 * MemoryStore, journaled under STRATUS_DATA_DIR when set.
 */
export async function createS3Service(runtime: ServiceRuntime, options: S3ServiceOptions = {}): Promise<S3Service> {
  const dataDir = runtime.config.dataDir;
  const ownsBlobs = !runtime.blobs;
  const blobDir = runtime.config.blobDir ?? (dataDir ? join(dataDir, 'blobs') : undefined);
  const blobs = runtime.blobs ? await runtime.blobs() : await BlobStore.open(blobDir ? { dir: blobDir } : {});
  const store = options.store ?? (await openStore(runtime.config));
  const notifier = new Notifier(runtime.bus, runtime.logger);
  const deleting = new Set<Promise<void>>();

  const rt: S3Runtime = {
    store,
    blobs,
    clock: runtime.clock,
    bus: runtime.bus,
    logger: runtime.logger,
    notifier,
    legacyBucketDefaults: runtime.config.s3BucketDefaults !== 'current',
    dropBlobs(ids) {
      for (const id of ids) {
        if (!id) continue;
        const p = blobs.delete({ id, size: 0, etag: '', checksums: {} }).catch((err: unknown) => runtime.logger.warn({ err, blob: id }, 's3 blob not deleted'));
        deleting.add(p);
        void p.finally(() => deleting.delete(p));
      }
    },
    lifecycleChanged() {
      sweeper.changed();
    },
  };
  const sweeper = new LifecycleSweeper(rt);

  const table: Operations = {
    ...bucketOperations(rt),
    ...bucketConfigOperations(rt),
    ...versioningOperations(rt),
    ...objectOperations(rt),
    ...objectLockOperations(rt),
    ...copyOperations(rt),
    ...taggingOperations(rt),
    ...torrentOperations(rt),
    ...listingOperations(rt),
    ...multipartOperations(rt),
    ...notificationOperations(rt),
    /** Stratus-internal: the gateway's CORS answer for a request with an Origin (see docs/s3-contract.md). */
    async EvaluateCors(input: CorsRequest) {
      return { Headers: evaluateCors(await store.getBucket(input.Bucket), input) };
    },
  };

  // Every operation: lifecycle rules due by the clock are applied first; a bucket deleted under a
  // running operation is NoSuchBucket.
  const operations: Record<string, Handler> = {};
  for (const [name, handler] of Object.entries(table)) {
    operations[name] = async (input, ctx) => {
      const due = sweeper.whenDue(runtime.clock.now());
      if (due) await due;
      try {
        return await handler(input, ctx, { operation: name, input, ctx });
      } catch (err) {
        if (err instanceof BucketMissingError) throw noSuchBucket(err.bucket);
        throw err;
      }
    };
  }

  return {
    name: 's3',
    operations,
    async reset(account?: string) {
      rt.dropBlobs(await store.reset(account));
      sweeper.changed();
    },
    dump: () => store.dump(),
    async close() {
      await notifier.idle();
      await Promise.all(deleting);
      await store.close();
      if (ownsBlobs) await blobs.close();
    },
    async idle() {
      await notifier.idle();
      await Promise.all(deleting);
    },
  };
}

async function openStore(config: StratusConfig): Promise<S3Store> {
  if (!config.redisUrl) return MemoryStore.open(config.dataDir);
  // Loaded only in distributed mode, so embedded mode never loads a Redis client.
  const specifier = './store/redis.js';
  const module = (await import(specifier)) as RedisStoreModule;
  return module.RedisS3Store.connect(config.redisUrl);
}
