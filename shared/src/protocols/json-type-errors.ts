import { AwsError } from '../errors.js';
import type { Shape, ServiceModel } from './model.js';

/**
 * The SerializationException AWS's JSON services (the Coral framework) send for a member whose JSON
 * type does not fit the model. Two generations of wording are in service:
 *
 * - `dynamodb`, recorded against DynamoDB by dynalite's test suite (test/helpers.js assertType):
 *   "STRING_VALUE cannot be converted to Integer", "Unrecognized collection type class java.lang.String",
 *   "Start of structure or map found where not expected", "Unexpected field type", and for booleans
 *   "Unexpected token received from parser".
 * - `current`, the wording SQS (and Athena, SES v2) send: "STRING_VALUE can not be converted to an
 *   Integer", "NUMBER_VALUE can not be converted to a String", "Start of list found where not expected",
 *   "Start of structure or map found where not expected." (with the full stop), "Expected list or null".
 *
 * Either way the body is `{"__type":"com.amazon.coral.service#SerializationException","Message":…}`,
 * and a body that is not JSON at all gets the same type with no message.
 */
export type CoralDialect = 'dynamodb' | 'current';

export const CORAL_SERVICE_NAMESPACE = 'com.amazon.coral.service';

const DYNAMODB_SERVICES: ReadonlySet<string> = new Set(['DynamoDB', 'DynamoDB Streams']);

export function dialectOf(model: ServiceModel): CoralDialect {
  return DYNAMODB_SERVICES.has(model.serviceId) ? 'dynamodb' : 'current';
}

export function serializationError(message = ''): AwsError {
  return new AwsError('SerializationException', message, 400, { typeNamespace: CORAL_SERVICE_NAMESPACE });
}

type ScalarJson = string | number | boolean;
type Expected = Shape['type'];

/** The Jackson token name of a JSON scalar, as the messages spell it. */
function token(v: ScalarJson): string {
  if (typeof v === 'string') return 'STRING_VALUE';
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
}

// Coral's Java types for the scalar shapes (timestamps are java.util.Date, blobs ByteBuffers).
const JAVA_CLASS: Record<string, string> = {
  string: 'java.lang.String',
  integer: 'java.lang.Integer',
  long: 'java.lang.Long',
  float: 'java.lang.Float',
  double: 'java.lang.Double',
  boolean: 'java.lang.Boolean',
  blob: 'java.nio.ByteBuffer',
  timestamp: 'java.util.Date',
};

const BLOB_NOT_STRING = 'only base-64-encoded strings are convertible to bytes';

function dynamodbMessage(expected: Expected, v: unknown): string {
  if (Array.isArray(v)) {
    // DynamoDB names the Java class of the structure or map here, which min.json models do not keep.
    if (expected === 'structure' || expected === 'map') return 'Start of list found where not expected';
    return `Unrecognized collection type class ${JAVA_CLASS[expected]}`;
  }
  if (typeof v === 'object') return 'Start of structure or map found where not expected';
  const s = v as ScalarJson;
  switch (expected) {
    case 'structure':
    case 'list':
    case 'map':
      return 'Unexpected field type';
    case 'blob':
      return BLOB_NOT_STRING;
    case 'boolean':
      return typeof s === 'string' ? 'Unexpected token received from parser' : `${token(s)} cannot be converted to Boolean`;
    default:
      return `${token(s)} cannot be converted to ${JAVA_CLASS[expected].slice(JAVA_CLASS[expected].lastIndexOf('.') + 1)}`;
  }
}

const CURRENT_TARGET: Record<string, string> = {
  string: 'a String',
  integer: 'an Integer',
  long: 'a Long',
  float: 'a Float',
  double: 'a Double',
  boolean: 'a Boolean',
  timestamp: 'a Date',
};

function currentMessage(expected: Expected, v: unknown): string {
  if (Array.isArray(v)) return 'Start of list found where not expected';
  if (typeof v === 'object') return 'Start of structure or map found where not expected.';
  const s = v as ScalarJson;
  switch (expected) {
    case 'structure':
      return 'Expected null';
    case 'list':
      return 'Expected list or null';
    case 'map':
      return 'Expected map or null';
    case 'blob':
      return BLOB_NOT_STRING;
    case 'boolean':
      // Sic: "an Boolean" for strings, "a Boolean" for numbers, as AWS writes them.
      return typeof s === 'string' ? 'STRING_VALUE can not be converted to an Boolean' : `${token(s)} can not be converted to a Boolean`;
    default:
      return `${token(s)} can not be converted to ${CURRENT_TARGET[expected]}`;
  }
}

/** The SerializationException for `value` (not null) found where the model expects `expected`. */
export function typeMismatch(dialect: CoralDialect, expected: Expected, value: unknown): AwsError {
  return serializationError(dialect === 'dynamodb' ? dynamodbMessage(expected, value) : currentMessage(expected, value));
}

/**
 * Base64 checks on a blob member's text, with DynamoDB's messages (the misspelling is AWS's).
 * Undefined when the text is canonical base64.
 */
export function base64Problem(text: string): string | undefined {
  if (text.length % 4 !== 0) return `Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`;
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) return `Invalid Base64 character: '${bad[0]}'`;
  if (Buffer.from(text, 'base64').toString('base64') !== text) return 'Invalid last non-pad Base64 character dectected';
  return undefined;
}
