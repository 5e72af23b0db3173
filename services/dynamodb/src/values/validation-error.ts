import { AwsError } from '@stratus/shared';

/** DynamoDB's ValidationException: `__type` com.amazon.coral.validate#ValidationException, status 400. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message, 400, { typeNamespace: 'com.amazon.coral.validate' });
}
