import { createHash, type Hash } from 'node:crypto';
import type { MessageAttributes } from './store/types.js';

/** MD5OfMessageBody / MD5OfBody: hex MD5 of the body's UTF-8 bytes. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes), as AWS computes it: for each attribute in
 * name order, the UTF-8 name, the UTF-8 data type, one transport byte (1 string, 2 binary) and the value
 * bytes, each length-prefixed with 4 big-endian bytes except the transport byte; hex MD5 of it all.
 */
export function md5OfAttributes(attributes: MessageAttributes, names: readonly string[] = Object.keys(attributes).sort()): string {
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes[name];
    putLengthPrefixed(hash, Buffer.from(name, 'utf8'));
    putLengthPrefixed(hash, Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.DataType.startsWith('Binary')) {
      hash.update(BINARY_TRANSPORT);
      putLengthPrefixed(hash, Buffer.from(attribute.BinaryValue ?? '', 'base64'));
    } else {
      hash.update(STRING_TRANSPORT);
      putLengthPrefixed(hash, Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

const STRING_TRANSPORT = Buffer.from([1]);
const BINARY_TRANSPORT = Buffer.from([2]);

function putLengthPrefixed(hash: Hash, bytes: Buffer): void {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length, 0);
  hash.update(length);
  hash.update(bytes);
}
