import { AwsError } from '@stratus/shared';

// SQS errors as AWS reports them. `code` is the JSON protocol's `__type` (the Smithy shape name),
// `queryCode` the legacy code the query protocol and `x-amzn-query-error` carry; statuses from the model.

export function queueDoesNotExist(protocol: string): AwsError {
  const message = protocol === 'query' ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.';
  return new AwsError('QueueDoesNotExist', message, 400, { queryCode: 'AWS.SimpleQueueService.NonExistentQueue' });
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, 400, { queryCode: 'InvalidParameterValue' });
}

/** `Value <value> for parameter <name> is invalid. Reason: <reason>` */
export function invalidParameter(name: string, value: unknown, reason: string): AwsError {
  return invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
}

export function missingParameter(name: string): AwsError {
  return new AwsError('MissingRequiredParameterException', `The request must contain the parameter ${name}.`, 400, {
    queryCode: 'MissingParameter',
  });
}

export function invalidAttributeName(message: string): AwsError {
  return new AwsError('InvalidAttributeName', message, 400);
}

export function unknownAttribute(name: string): AwsError {
  return invalidAttributeName(`Unknown Attribute ${name}.`);
}

export function invalidAttributeValue(message: string): AwsError {
  return new AwsError('InvalidAttributeValue', message, 400);
}

export function queueNameExists(attribute: string): AwsError {
  return new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`, 400, {
    queryCode: 'QueueAlreadyExists',
  });
}

export function receiptHandleIsInvalid(handle: string): AwsError {
  return new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
}

export function receiptHandleExpired(handle: string): AwsError {
  return invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.');
}

export function messageNotAvailable(handle: string): AwsError {
  return invalidParameter('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
}

export function visibilityTooLong(value: number): AwsError {
  return invalidParameter('VisibilityTimeout', value, `Total VisibilityTimeout for the message is beyond the limit [${43_200} seconds]`);
}

export function invalidMessageContents(): AwsError {
  return new AwsError(
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    400,
  );
}

export function emptyBatchRequest(entryShape: string): AwsError {
  return new AwsError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`, 400, {
    queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
  });
}

export function tooManyEntriesInBatchRequest(count: number): AwsError {
  return new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`, 400, {
    queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  });
}

export function invalidBatchEntryId(): AwsError {
  return new AwsError(
    'InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    400,
    { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
  );
}

export function batchEntryIdsNotDistinct(id: string): AwsError {
  return new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, 400, { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct' });
}

export function batchRequestTooLong(bytes: number): AwsError {
  return new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than 1048576 bytes. You have sent ${bytes} bytes.`, 400, {
    queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
  });
}

export function purgeQueueInProgress(queueName: string): AwsError {
  return new AwsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`, 403, {
    queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress',
  });
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFoundException', message, 404);
}
