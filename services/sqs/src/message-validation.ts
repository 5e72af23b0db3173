import { createHash, randomUUID } from 'node:crypto';
import type { AwsError, CallContext } from '@stratus/shared';
import { invalidMessageContents, invalidParameter, invalidParameterValue, missingParameter } from './errors.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import type { QueueSettings } from './model.js';
import { integerParam } from './params.js';
import type { MessageAttributes, MessageAttributeValue, NewMessage, QueueRecord } from './store/types.js';

/** The message members of SendMessage and of a SendMessageBatch entry. */
export interface MessageInput {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: MessageAttributes;
  MessageSystemAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface PreparedMessage {
  message: NewMessage;
  md5OfSystemAttributes?: string;
}

/** Characters SQS accepts in bodies and string attribute values. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** MessageGroupId and MessageDeduplicationId: alphanumerics and punctuation, 1 to 128. */
const FIFO_ID = /^[0-9a-zA-Z!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_\-.\u00C0-\u017F]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MAX_ATTRIBUTES = 10;

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

/**
 * Checks one message against the queue the way SQS does, in SQS's order, and builds what the store
 * enqueues. `batch` switches the wording AWS uses for a batch entry's size error. Throws AwsError.
 */
export function prepareMessage(
  input: MessageInput,
  queue: QueueRecord,
  settings: QueueSettings,
  sender: Pick<CallContext, 'accessKeyId' | 'traceId'>,
  batch: boolean,
): PreparedMessage {
  const body = input.MessageBody;
  if (typeof body !== 'string' || body.length === 0) throw missingParameter('MessageBody');

  const delay = integerParam('DelaySeconds', input.DelaySeconds);
  if (delay !== undefined) {
    if (delay < 0 || delay > 900) throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
    if (queue.fifo && delay !== 0) throw invalidParameter('DelaySeconds', delay, 'The request include parameter that is not valid for this queue type.');
  }

  const attributes = input.MessageAttributes && Object.keys(input.MessageAttributes).length > 0 ? input.MessageAttributes : undefined;
  const size = Buffer.byteLength(body, 'utf8') + (attributes ? attributesSize(attributes) : 0);
  if (size > settings.maximumMessageSize) {
    const verb = batch ? 'cannot be validated' : 'are invalid';
    throw invalidParameterValue(`One or more parameters ${verb}. Reason: Message must be shorter than ${settings.maximumMessageSize} bytes.`);
  }
  if (hasInvalidCharacters(body)) throw invalidMessageContents();
  if (attributes) checkAttributes(attributes);

  let traceHeader: string | undefined;
  let md5OfSystemAttributes: string | undefined;
  const system = input.MessageSystemAttributes;
  if (system && Object.keys(system).length > 0) {
    traceHeader = checkSystemAttributes(system);
    md5OfSystemAttributes = md5OfAttributes(system);
  } else {
    // Without the system attribute, SQS takes the X-Ray trace header of the request.
    traceHeader = sender.traceId;
  }

  const groupId = input.MessageGroupId;
  if (groupId !== undefined && groupId !== null) checkFifoId('MessageGroupId', groupId);
  else if (queue.fifo) throw missingParameter('MessageGroupId');

  let dedupId = input.MessageDeduplicationId ?? undefined;
  if (dedupId !== undefined) {
    checkFifoId('MessageDeduplicationId', dedupId);
    if (!queue.fifo) throw invalidParameter('MessageDeduplicationId', dedupId, 'The request includes a parameter that is not valid for this queue type.');
  } else if (queue.fifo) {
    if (!settings.contentBasedDeduplication) throw missingDeduplicationId();
    dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
  }

  return {
    message: {
      id: randomUUID(),
      body,
      md5OfBody: md5OfBody(body),
      attributes,
      md5OfAttributes: attributes ? md5OfAttributes(attributes) : undefined,
      traceHeader,
      senderId: sender.accessKeyId,
      groupId: groupId ?? undefined,
      dedupId,
      delayMs: queue.fifo || delay === undefined ? settings.delayMs : delay * 1000,
    },
    md5OfSystemAttributes,
  };
}

export function missingDeduplicationId(): AwsError {
  return invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
}

/** What message attributes add to a message's size: names, data types and values. */
export function attributesSize(attributes: MessageAttributes): number {
  let size = 0;
  for (const name in attributes) {
    const a = attributes[name];
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType ?? '', 'utf8');
    if (a.BinaryValue !== undefined && a.BinaryValue !== null) size += Buffer.byteLength(a.BinaryValue, 'base64');
    else if (a.StringValue !== undefined && a.StringValue !== null) size += Buffer.byteLength(a.StringValue, 'utf8');
  }
  return size;
}

function checkAttributes(attributes: MessageAttributes): void {
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  for (const name of names) {
    checkAttributeName(name);
    checkAttributeValue(name, attributes[name]);
  }
}

function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name, 'utf8') > 256) throw invalidParameterValue(`Message (user) attribute name ${name} exceeds the maximum length of 256 bytes.`);
  if (!ATTRIBUTE_NAME.test(name)) {
    throw invalidParameterValue(
      `Invalid non-alphanumeric character was found in the message attribute name ${name}. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  const lower = name.toLowerCase();
  if (lower.startsWith('aws.') || lower.startsWith('amazon.')) {
    throw invalidParameterValue(`Invalid message attribute name ${name}. Names starting with 'AWS.' or 'Amazon.' are reserved.`);
  }
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw invalidParameterValue(`Invalid message attribute name ${name}. Names cannot start or end with a period or contain consecutive periods.`);
  }
}

function checkAttributeValue(name: string, value: MessageAttributeValue): void {
  const type = value?.DataType;
  if (!type) throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  if (type.length > 256 || !DATA_TYPE.test(type)) {
    throw invalidParameterValue(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (type.startsWith('Binary')) {
    if (!value.BinaryValue) throw invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
    return;
  }
  const base = type.startsWith('Number') ? 'Number' : 'String';
  const text = value.StringValue;
  if (!text) throw invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
  if (hasInvalidCharacters(text)) {
    throw invalidParameterValue(
      `Invalid characters found in the value of message (user) attribute '${name}'. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  if (base === 'Number' && !NUMBER.test(text)) throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
}

/** Only AWSTraceHeader exists, as a String. Returns its value. */
function checkSystemAttributes(system: MessageAttributes): string {
  for (const name of Object.keys(system)) {
    if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
  }
  const trace = system.AWSTraceHeader;
  if (trace.DataType !== 'String') throw invalidParameterValue("Message system attribute 'AWSTraceHeader' must have the data type 'String'.");
  if (!trace.StringValue) throw invalidParameterValue("Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.");
  return trace.StringValue;
}

function checkFifoId(parameter: string, value: string): void {
  if (typeof value !== 'string' || !FIFO_ID.test(value)) {
    throw invalidParameter(parameter, value, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}
