import { PassThrough } from 'node:stream';
import { AwsError } from '@stratus/shared';

/**
 * A streaming multipart/form-data reader for S3's browser POST uploads. Form fields (small) are
 * collected as text; the one part named `file` is streamed to a sink as it arrives, never held whole.
 * S3 ignores whatever follows the file, so reading stops there (the rest of the body is drained).
 */

export interface FormFile {
  /** The part's `filename` (what `${filename}` in the key stands for). */
  filename: string;
  contentType?: string;
}

export interface FormData<T> {
  /** Fields before the file, by lower-cased name, in order (S3 field names are case-insensitive). */
  fields: Map<string, string>;
  /** The file part, with what the sink made of its bytes; undefined when the form has none. */
  file?: FormFile & { result: T };
}

/** Where the file's bytes go: given the fields read so far and the part, a consumer of the stream. */
export type FileSink<T> = (fields: Map<string, string>, file: FormFile, stream: PassThrough) => Promise<T>;

/** Fields beyond this much text: not a browser form (S3 allows 20 KB of fields). */
const MAX_FIELDS_BYTES = 1024 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

export function malformedPost(message = 'The body of your POST request is not well-formed multipart/form-data.'): AwsError {
  return new AwsError('MalformedPOSTRequest', message, 400);
}

/** The boundary of a `multipart/form-data; boundary=...` Content-Type, or undefined when it is not one. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : '';
}

function partHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `name` and `filename` of a Content-Disposition: form-data header. */
function disposition(value: string | undefined): { name?: string; filename?: string } {
  if (!value || !/^form-data\b/i.test(value)) return {};
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(value) ?? new RegExp(`;\\s*${key}=([^;]*)`, 'i').exec(value);
    return m ? m[1].replace(/\\(.)/g, '$1').trim() : undefined;
  };
  return { name: param('name'), filename: param('filename') };
}

/** Resolves when a stream the file is written to wants more (rejects if it fails first). */
function drained(stream: PassThrough): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (e: Error) => {
      stream.off('drain', onDrain);
      reject(e);
    };
    stream.once('drain', onDrain).once('error', onError);
  });
}

/**
 * Reads a multipart/form-data body: fields up to the `file` part, whose bytes go to `sink`.
 * Rejects with MalformedPOSTRequest when the body is not well-formed.
 */
export async function readFormData<T>(body: AsyncIterable<Buffer>, boundary: string, sink: FileSink<T>): Promise<FormData<T>> {
  if (!boundary) throw malformedPost();
  const first = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  let buf: Buffer = Buffer.alloc(0);
  type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  const done = (): boolean => state === 'done';
  let part: { name: string; filename?: string; contentType?: string } | undefined;
  let fieldChunks: Buffer[] = [];
  let file: { stream: PassThrough; info: FormFile; result: Promise<T> } | undefined;
  let fileResult: (FormFile & { result: T }) | undefined;
  const iterator = body[Symbol.asyncIterator]();

  const write = async (bytes: Buffer) => {
    if (bytes.length === 0) return;
    if (file) {
      if (!file.stream.write(bytes)) await drained(file.stream);
      return;
    }
    fieldBytes += bytes.length;
    if (fieldBytes > MAX_FIELDS_BYTES) throw malformedPost('Your POST request fields preceeding the upload file was too large.');
    fieldChunks.push(bytes);
  };

  try {
    for (;;) {
      // Work through what is buffered; read more only when a step needs more bytes.
      let progressed = true;
      while (progressed && !done()) {
        progressed = false;
        if (state === 'preamble') {
          const at = buf.indexOf(first);
          if (at >= 0) {
            buf = buf.subarray(at + first.length);
            state = 'afterDelimiter';
            progressed = true;
          } else if (buf.length > first.length) {
            buf = buf.subarray(buf.length - first.length);
          }
        } else if (state === 'afterDelimiter') {
          if (buf.length < 2) break;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            state = 'done';
            break;
          }
          const eol = buf.indexOf(CRLF);
          if (eol < 0) break;
          buf = buf.subarray(eol + 2);
          state = 'headers';
          progressed = true;
        } else if (state === 'headers') {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            if (buf.length > 16 * 1024) throw malformedPost();
            break;
          }
          const headers = partHeaders(buf.subarray(0, end).toString('utf8'));
          buf = buf.subarray(end + HEADER_END.length);
          const { name, filename } = disposition(headers['content-disposition']);
          if (name === undefined) throw malformedPost();
          part = { name, filename, contentType: headers['content-type'] };
          fieldChunks = [];
          if (name.toLowerCase() === 'file') {
            const info: FormFile = { filename: filename ?? '', ...(part.contentType ? { contentType: part.contentType } : {}) };
            const stream = new PassThrough();
            const result = sink(fields, info, stream);
            // A sink that fails early must not leave an unhandled rejection behind.
            result.catch(() => undefined);
            file = { stream, info, result };
          }
          state = 'body';
          progressed = true;
        } else if (state === 'body') {
          const at = buf.indexOf(delimiter);
          if (at >= 0) {
            await write(buf.subarray(0, at));
            buf = buf.subarray(at + delimiter.length);
            if (file) {
              file.stream.end();
              fileResult = { ...file.info, result: await file.result };
              file = undefined;
              state = 'done';
              break;
            }
            const value = Buffer.concat(fieldChunks).toString('utf8');
            const key = part!.name.toLowerCase();
            if (!fields.has(key)) fields.set(key, value);
            state = 'afterDelimiter';
            progressed = true;
          } else if (buf.length > delimiter.length) {
            // Keep a tail that may be the start of the delimiter.
            const keep = delimiter.length - 1;
            await write(buf.subarray(0, buf.length - keep));
            buf = buf.subarray(buf.length - keep);
          }
        }
      }
      if (done()) break;
      const next = await iterator.next();
      if (next.done) throw malformedPost();
      buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    }
  } catch (e) {
    if (file) {
      file.stream.destroy(e instanceof Error ? e : new Error(String(e)));
      await file.result.catch(() => undefined);
    }
    throw e;
  } finally {
    // What follows the file (or an error) is not read: drain it so the connection can answer.
    void (async () => {
      try {
        for (;;) if ((await iterator.next()).done) break;
      } catch {
        /* the client went away */
      }
    })();
  }
  return { fields, ...(fileResult ? { file: fileResult } : {}) };
}
