import { unknownOperation, type AwsError } from '../errors.js';
import type { OperationModel, ServiceModel } from './model.js';
import { structureDecoder } from './json-decode.js';
import { structureTransform, type JsonTransform } from './json-encode.js';
import { CORAL_SERVICE_NAMESPACE, dialectOf, serializationError } from './json-type-errors.js';

/**
 * The AWS JSON 1.0 / 1.1 protocols (SQS, DynamoDB, later EventBridge and CloudWatch Logs): a JSON
 * document in, a JSON document out, errors named by `__type`.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */

function operationOf(model: ServiceModel, operation: string): OperationModel {
  const op = model.operation(operation);
  if (!op) throw unknownOperation(operation);
  return op;
}

/**
 * The input of `operation` from a request body. A body that is not JSON, or a member of the wrong JSON
 * type, is the SerializationException AWS sends for it; unknown members are ignored, null ones absent.
 */
export function decodeJson(model: ServiceModel, operation: string, body: string): Record<string, unknown> {
  const op = operationOf(model, operation);
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw serializationError();
  }
  if (!op.input || document === null) return {};
  return structureDecoder(op.input, dialectOf(model))(document) as Record<string, unknown>;
}

const transforms = new WeakMap<OperationModel, JsonTransform | null>();

/** The response body for a handler's output: its members as they are, timestamps as epoch seconds. */
export function encodeJsonResponse(model: ServiceModel, operation: string, output: unknown): string {
  const op = operationOf(model, operation);
  if (!op.output || output === undefined || output === null) return '{}';
  let transform = transforms.get(op);
  if (transform === undefined) {
    transform = structureTransform(op.output);
    transforms.set(op, transform);
  }
  return JSON.stringify(transform ? transform(output) : output);
}

/**
 * `{"__type":"<namespace>#<code>","message":…}` plus the error's extra fields. The namespace is the
 * error's own (Coral's framework errors carry theirs) or `defaultNamespace` (`com.amazonaws.sqs`).
 * Coral's framework errors spell the key `Message`; an empty message is left out, as AWS does for
 * UnknownOperationException. Services that moved off the query protocol (SQS) also name the query
 * error code and fault in `x-amzn-query-error`, which the SDKs read to raise the legacy error.
 */
export function encodeJsonError(
  error: AwsError,
  model: ServiceModel,
  defaultNamespace: string,
): { body: string; headers: Record<string, string> } {
  const namespace = error.typeNamespace ?? defaultNamespace;
  const body: Record<string, unknown> = { __type: `${namespace}#${error.code}` };
  if (error.message) body[namespace === CORAL_SERVICE_NAMESPACE ? 'Message' : 'message'] = error.message;
  if (error.fields) for (const k in error.fields) if (!(k in body)) body[k] = error.fields[k];
  const headers: Record<string, string> = model.awsQueryCompatible ? { 'x-amzn-query-error': `${error.queryCode};${error.fault}` } : {};
  return { body: JSON.stringify(body), headers };
}
