export * from './model.js';
export * from './xml.js';
export * from './timestamps.js';
export * from './query.js';
export * from './json.js';
export { CORAL_SERVICE_NAMESPACE, serializationError } from './json-type-errors.js';
// rest-xml (S3) is imported from '@stratus/shared/protocols/rest-xml' and '.../rest-route' by the S3 path
// only: its XML parser is slow to load, and embedded startup must not pay for it before S3 is used.
