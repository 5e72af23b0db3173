export * from './algorithms.js';
export { crc32c } from './crc32c.js';
export { crc64nvme } from './crc64nvme.js';
export * from './hasher.js';
export * from './combine.js';
export * from './multipart.js';
