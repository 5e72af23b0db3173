export { BlobStore, BlobNotFoundError, type BlobRef, type BlobStoreOptions, type ByteRange, type PutOptions } from './store.js';
