export * from './aws-chunked.js';
export * from './body-errors.js';
