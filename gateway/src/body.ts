import type { IncomingMessage } from 'node:http';
import { AwsError } from '@stratus/shared';

/** Bodies of the JSON and query protocols are small documents; anything past this is refused unread. */
export const MAX_DOCUMENT_BODY = 16 * 1024 * 1024;

export function bodyTooLarge(): AwsError {
  return new AwsError('RequestEntityTooLarge', `Request body must be at most ${MAX_DOCUMENT_BODY} bytes.`, 413);
}

/** Reads a whole (small) request body as text; refuses bodies over the limit without buffering them. */
export function readDocumentBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_DOCUMENT_BODY) {
    req.resume();
    return Promise.reject(bodyTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(bodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
