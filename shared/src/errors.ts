/** Whose fault an error is, as the query protocol and `x-amzn-query-error` report it. */
export type Fault = 'Sender' | 'Receiver';

export interface AwsErrorOptions {
  /** Legacy code the query protocol shows (SQS: `AWS.SimpleQueueService.NonExistentQueue`); defaults to `code`. */
  queryCode?: string;
  fault?: Fault;
  /** Namespace for the JSON `__type` (e.g. `com.amazonaws.sqs`); the protocol's default when absent. */
  typeNamespace?: string;
  /** Extra members some errors carry (DynamoDB's CancellationReasons, S3's BucketName, ...). */
  fields?: Record<string, unknown>;
  /** Extra response headers (S3's x-amz-delete-marker on NoSuchKey, ...). */
  headers?: Record<string, string>;
}

/**
 * An error the way AWS reports it. Handlers throw these; each protocol encoder turns one into the
 * exact wire shape its SDKs parse. They cross the bus as plain JSON (see toJSON / fromJSON).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly queryCode: string;
  readonly fault: Fault;
  readonly typeNamespace?: string;
  readonly fields?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(code: string, message: string, status = 400, options: AwsErrorOptions = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.queryCode = options.queryCode ?? code;
    this.fault = options.fault ?? (status >= 500 ? 'Receiver' : 'Sender');
    this.typeNamespace = options.typeNamespace;
    this.fields = options.fields;
    this.headers = options.headers;
  }

  toJSON(): SerializedAwsError {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      queryCode: this.queryCode,
      fault: this.fault,
      typeNamespace: this.typeNamespace,
      fields: this.fields,
      headers: this.headers,
    };
  }

  static fromJSON(e: SerializedAwsError): AwsError {
    return new AwsError(e.code, e.message, e.status, e);
  }
}

export interface SerializedAwsError extends AwsErrorOptions {
  code: string;
  message: string;
  status: number;
}

export function isAwsError(e: unknown): e is AwsError {
  return e instanceof AwsError;
}

/** What AWS answers for an operation name it does not know (JSON and query protocols alike). */
export function unknownOperation(operation: string): AwsError {
  return new AwsError('InvalidAction', `The action ${operation} is not valid for this endpoint.`, 400);
}

/** An unexpected failure inside Stratus: reported as AWS reports its own faults, never as a stack trace. */
export function internalError(): AwsError {
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}
