export * from './model.js';
export * from './xml.js';
export * from './timestamps.js';
export * from './query.js';
export * from './json.js';
export { CORAL_SERVICE_NAMESPACE, serializationError } from './json-type-errors.js';
export * from './rest-xml.js';
export { RestRouter, MalformedPathError, type RestMatch } from './rest-route.js';
