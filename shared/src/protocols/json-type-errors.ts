import { AwsError } from '../errors.js';
import type { Shape, ServiceModel } from './model.js';

/**
 * The SerializationException AWS's JSON services (the Coral framework) send for a member whose JSON
 * type does not fit the model. Two generations of wording are in service:
 *
 * - `dynamodb`, recorded against DynamoDB by dynalite's test suite (test/helpers.js assertType):
 *   "STRING_VALUE cannot be converted to Integer", "Unrecognized collection type class java.lang.String",
 *   "Start of structure or map found where not expected", "Unexpected field type" (a scalar for a
 *   structure, list or map member) or "Unexpected value type in payload" (for a structure in a list or
 *   map), "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes" (an
 *   array for a structure: the model's shape names, from its supplement), and for booleans
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

/** The Java package of DynamoDB's generated request classes, which its messages name. */
const DYNAMODB_PACKAGE = 'com.amazonaws.dynamodb.v20120810';

/**
 * Where a value sits: a structure's member (or the whole input), or an element of a list or a value of
 * a map. DynamoDB words some mismatches differently for each.
 */
export type Position = 'member' | 'element';

/** The Java type Coral binds a shape to, as its messages print it. */
function javaType(shape: Shape): string {
  switch (shape.type) {
    case 'structure':
      return `${DYNAMODB_PACKAGE}.${shape.name ?? 'Object'}`;
    case 'list':
      return `java.util.List<${javaType(shape.member.shape)}>`;
    case 'map':
      return `java.util.Map<java.lang.String, ${javaType(shape.value.shape)}>`;
    default:
      return JAVA_CLASS[shape.type];
  }
}

// A list or map inside a list or map is a parameterized Java type, which Coral's reader fails to cast.
const PARAMETERIZED_CAST =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

function dynamodbMessage(shape: Shape, v: unknown, position: Position): string {
  const expected = shape.type;
  if (Array.isArray(v)) {
    if (expected === 'structure') return shape.name ? `Unrecognized collection type class ${javaType(shape)}` : 'Start of list found where not expected';
    if (expected === 'map') return `Unrecognized collection type ${javaType(shape)}`;
    return `Unrecognized collection type class ${JAVA_CLASS[expected]}`;
  }
  if (typeof v === 'object') return 'Start of structure or map found where not expected';
  const s = v as ScalarJson;
  switch (expected) {
    case 'structure':
      return position === 'member' ? 'Unexpected field type' : 'Unexpected value type in payload';
    case 'list':
    case 'map':
      return position === 'member' ? 'Unexpected field type' : PARAMETERIZED_CAST;
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

/** The SerializationException for `value` (not null) found at `position` where the model expects `shape`. */
export function typeMismatch(dialect: CoralDialect, shape: Shape, value: unknown, position: Position = 'member'): AwsError {
  return serializationError(dialect === 'dynamodb' ? dynamodbMessage(shape, value, position) : currentMessage(shape.type, value));
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
