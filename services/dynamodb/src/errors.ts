import { AwsError } from '@stratus/shared';
import { validationError } from './values/validation-error.js';

// DynamoDB's errors as AWS reports them: `__type` com.amazonaws.dynamodb.v20120810#<code> (the gateway's
// errorNamespace), status 400 unless noted. Validation errors are Coral's (values/validation-error.ts).

export { validationError };

export const DYNAMODB_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

export function resourceNotFound(message = 'Requested resource not found'): AwsError {
  return new AwsError('ResourceNotFoundException', message, 400);
}

/** DescribeTable, DeleteTable, UpdateTable and friends name the table. */
export function tableNotFound(name: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}

export function resourceInUse(message: string): AwsError {
  return new AwsError('ResourceInUseException', message, 400);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): AwsError {
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, item ? { fields: { Item: item } } : {});
}

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

export function transactionCanceled(reasons: CancellationReason[]): AwsError {
  const codes = reasons.map((r) => r.Code).join(', ');
  return new AwsError(
    'TransactionCanceledException',
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    400,
    { fields: { CancellationReasons: reasons } },
  );
}

export function transactionConflict(): AwsError {
  return new AwsError('TransactionConflictException', 'Transaction is ongoing for the item', 400);
}

export function idempotentParameterMismatch(): AwsError {
  return new AwsError(
    'IdempotentParameterMismatchException',
    'The request uses the same client token as a previous, but non-identical request.',
    400,
  );
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceededException', message, 400);
}

export function duplicateItem(): AwsError {
  return new AwsError('DuplicateItemException', 'Duplicate primary key exists in table', 400);
}

export function accessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', message, 400, { typeNamespace: 'com.amazon.coral.service' });
}

export function unknownOperation(): AwsError {
  return new AwsError('UnknownOperationException', '', 400, { typeNamespace: 'com.amazon.coral.service' });
}

export function pointInTimeRecoveryUnavailable(name: string): AwsError {
  return new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${name}'`, 400);
}

export function continuousBackupsUnavailable(message: string): AwsError {
  return new AwsError('ContinuousBackupsUnavailableException', message, 400);
}

// DynamoDB Streams.

export function expiredIterator(): AwsError {
  return new AwsError('ExpiredIteratorException', 'Iterator expired. The iterator was created over 15 minutes ago.', 400);
}

export function trimmedDataAccess(): AwsError {
  return new AwsError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard.',
    400,
  );
}
