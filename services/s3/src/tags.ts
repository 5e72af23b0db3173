import { invalidArgument, invalidTag, malformedXml } from './errors.js';
import { MAX_TAGS, type Tag } from './model.js';

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const HEADER_MESSAGE = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

/** `x-amz-tagging: k1=v1&k2=v2` (URL-encoded query syntax) into a tag set. */
export function parseTaggingHeader(header: string | undefined): Tag[] | undefined {
  if (header === undefined || header === null) return undefined;
  const tags: Tag[] = [];
  const seen = new Set<string>();
  const bad = () => invalidArgument(HEADER_MESSAGE, 'x-amz-tagging', header);
  if (header === '') return tags;
  for (const pair of header.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw bad();
    }
    if (seen.has(key) || !TAG_CHARS.test(key) || !TAG_CHARS.test(value)) throw bad();
    seen.add(key);
    tags.push({ Key: key, Value: value });
  }
  validateObjectTags(tags);
  return tags;
}

/** A TagSet from an XML payload: members missing are malformed XML. */
export function tagSetOf(tagging: unknown): Tag[] {
  const set = (tagging as { TagSet?: unknown } | undefined)?.TagSet;
  if (set === undefined || set === null) return [];
  if (!Array.isArray(set)) throw malformedXml();
  return set.map((t: { Key?: unknown; Value?: unknown }) => {
    if (typeof t?.Key !== 'string' || typeof t?.Value !== 'string') throw malformedXml();
    return { Key: t.Key, Value: t.Value };
  });
}

function validateCommon(tags: readonly Tag[], systemMessage: string): void {
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (seen.has(Key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: Key });
    seen.add(Key);
    if (Key.startsWith('aws:')) throw invalidTag(systemMessage, { TagKey: Key });
    if (Key.length === 0 || Key.length > 128 || !TAG_CHARS.test(Key)) throw invalidTag('The TagKey you have provided is invalid', { TagKey: Key });
    if (Value.length > 256 || !TAG_CHARS.test(Value)) throw invalidTag('The TagValue you have provided is invalid', { TagKey: Key, TagValue: Value });
  }
}

export function validateObjectTags(tags: readonly Tag[]): void {
  validateCommon(tags, 'Your TagKey cannot be prefixed with aws:');
  if (tags.length > MAX_TAGS) throw invalidTag('Object tags cannot be greater than 10');
}

export function validateBucketTags(tags: readonly Tag[]): void {
  validateCommon(tags, 'System tags cannot be added/updated by requester');
  if (tags.length > 50) throw invalidTag('Bucket tag count cannot be greater than 50');
}

/** Tags in key order (code point order, as S3 lists them). */
export function sortedTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}
