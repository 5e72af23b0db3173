import { AwsError } from '../errors.js';

/**
 * The errors S3 answers when a request body is cut short or badly framed. Codes and messages as
 * S3 sends them (compared against AWS by versitygw and other S3 servers' test suites).
 */

/** The body ended early, or its aws-chunked framing is broken (S3 does not tell the two apart). */
export function incompleteBody(): AwsError {
  return new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

/**
 * The body's length is not the one declared (Content-Length, or x-amz-decoded-content-length for
 * aws-chunked bodies). `provided` is left out when the body was abandoned before its end.
 */
export function lengthMismatch(expected: number, provided?: number): AwsError {
  return new AwsError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400, {
    fields: provided === undefined ? { NumberBytesExpected: expected } : { NumberBytesExpected: expected, NumberBytesProvided: provided },
  });
}

/** An aws-chunked chunk other than the last was under 8 KiB; `chunk` is the 1-based chunk that revealed it. */
export function invalidChunkSize(chunk: number, badChunkSize: number): AwsError {
  return new AwsError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 400, {
    fields: { Chunk: chunk, BadChunkSize: badChunkSize },
  });
}

/** The trailer section is unreadable, or lacks the header x-amz-trailer announced. */
export function malformedTrailer(): AwsError {
  return new AwsError(
    'MalformedTrailerError',
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    400,
  );
}
