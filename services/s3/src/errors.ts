import { AwsError } from '@stratus/shared';

// S3 errors as S3 reports them: code, message and status from recorded S3 responses; `fields` become
// extra elements of the <Error> document (BucketName, Key, Condition ...), `headers` response headers.

function s3Error(code: string, message: string, status: number, fields?: Record<string, unknown>, headers?: Record<string, string>): AwsError {
  return new AwsError(code, message, status, { fields, headers });
}

export function noSuchBucket(bucket: string): AwsError {
  return s3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

export function noSuchKey(key: string, headers?: Record<string, string>): AwsError {
  return s3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers);
}

export function noSuchVersion(key: string, versionId: string): AwsError {
  return s3Error('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
}

export function noSuchUpload(uploadId: string): AwsError {
  return s3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    404,
    { UploadId: uploadId },
  );
}

export function bucketAlreadyExists(bucket: string): AwsError {
  return s3Error(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    409,
    { BucketName: bucket },
  );
}

export function bucketAlreadyOwnedByYou(bucket: string): AwsError {
  return s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, {
    BucketName: bucket,
  });
}

export function bucketNotEmpty(bucket: string, versioned: boolean): AwsError {
  const message = versioned
    ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.'
    : 'The bucket you tried to delete is not empty';
  return s3Error('BucketNotEmpty', message, 409, { BucketName: bucket });
}

export function invalidBucketName(bucket: string): AwsError {
  return s3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
}

export function invalidLocationConstraint(constraint: string): AwsError {
  return s3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
}

export function illegalLocationConstraint(constraint: string | undefined): AwsError {
  return s3Error(
    'IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
}

export function invalidArgument(message: string, name?: string, value?: unknown): AwsError {
  const fields: Record<string, unknown> = {};
  if (name !== undefined) fields.ArgumentName = name;
  if (value !== undefined && value !== null) fields.ArgumentValue = String(value);
  return s3Error('InvalidArgument', message, 400, fields);
}

export function invalidRequest(message: string): AwsError {
  return s3Error('InvalidRequest', message, 400);
}

export function malformedXml(): AwsError {
  return s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function invalidRange(size: number, range: string): AwsError {
  return s3Error('InvalidRange', 'The requested range is not satisfiable', 416, { ActualObjectSize: String(size), RangeRequested: range });
}

export function invalidPartNumber(partsCount: number, requested: number): AwsError {
  return s3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, {
    ActualPartCount: String(partsCount),
    PartNumberRequested: String(requested),
  });
}

export function preconditionFailed(condition: string): AwsError {
  return s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

/** 304: no body on the wire; the validators the client compares with come back as headers. */
export function notModified(headers: Record<string, string>): AwsError {
  return s3Error('NotModified', 'Not Modified', 304, undefined, headers);
}

export function conditionalRequestConflict(condition: string, key: string): AwsError {
  return s3Error(
    'ConditionalRequestConflict',
    'The conditional request cannot succeed due to a conflicting operation against this resource.',
    409,
    { Condition: condition, Key: key },
  );
}

export function notImplemented(header: string, additionalMessage: string): AwsError {
  return s3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, {
    Header: header,
    additionalMessage,
  });
}

export function badDigestMd5(expected: string, calculated: string): AwsError {
  return s3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
    ExpectedDigest: expected,
    CalculatedDigest: calculated,
  });
}

export function badDigest(message: string): AwsError {
  return s3Error('BadDigest', message, 400);
}

export function invalidDigest(contentMd5: string): AwsError {
  return s3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
}

export function entityTooSmall(partNumber: number, etag: string, size: number): AwsError {
  return s3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
    ETag: etag,
    MinSizeAllowed: '5242880',
    PartNumber: String(partNumber),
    ProposedSize: String(size),
  });
}

export function entityTooLarge(size: number, max: number): AwsError {
  return s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
    MaxSizeAllowed: String(max),
    ProposedSize: String(size),
  });
}

export function invalidPart(uploadId: string, partNumber: number, etag: string): AwsError {
  return s3Error(
    'InvalidPart',
    'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.',
    400,
    { ETag: etag, PartNumber: String(partNumber), UploadId: uploadId },
  );
}

export function invalidPartOrder(uploadId: string): AwsError {
  return s3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, {
    UploadId: uploadId,
  });
}

export function keyTooLong(size: number): AwsError {
  return s3Error('KeyTooLongError', 'Your key is too long', 400, { MaxSizeAllowed: '1024', Size: String(size) });
}

export function invalidTag(message: string, fields?: Record<string, unknown>): AwsError {
  return s3Error('InvalidTag', message, 400, fields);
}

export function invalidStorageClass(requested: string): AwsError {
  return s3Error('InvalidStorageClass', 'The storage class you specified is not valid', 400, { StorageClassRequested: requested });
}

export function methodNotAllowed(method: string, resourceType: string, headers?: Record<string, string>): AwsError {
  return s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }, headers);
}

export function malformedPolicy(message: string): AwsError {
  return s3Error('MalformedPolicy', message, 400);
}

export function illegalVersioningConfiguration(message: string): AwsError {
  return s3Error('IllegalVersioningConfigurationException', message, 400);
}

export function invalidBucketState(message: string): AwsError {
  return s3Error('InvalidBucketState', message, 409);
}

export function invalidObjectState(storageClass: string): AwsError {
  return s3Error('InvalidObjectState', 'The operation is not valid for the object\'s storage class', 403, { StorageClass: storageClass });
}

/** A bucket sub-resource that was never set: NoSuchTagSet, NoSuchCORSConfiguration ... (404). */
export function noSuchConfiguration(code: string, message: string, bucket: string): AwsError {
  return s3Error(code, message, 404, { BucketName: bucket });
}

export function accessForbidden(message: string, method: string, resourceType: string): AwsError {
  return s3Error('AccessForbidden', `CORSResponse: ${message}`, 403, { Method: method, ResourceType: resourceType });
}

export function badRequest(message: string): AwsError {
  return s3Error('BadRequest', message, 400);
}

export function invalidBucketOwner(value: string): AwsError {
  return s3Error('InvalidBucketOwnerAWSAccountID', `The value of the expected bucket owner parameter must be an AWS Account ID... [${value}]`, 400);
}

export function accessDenied(): AwsError {
  return s3Error('AccessDenied', 'Access Denied', 403);
}

export function invalidTargetBucketForLogging(target: string): AwsError {
  return s3Error('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist', 400, { TargetBucket: target });
}

export function crossLocationLogging(targetRegion: string): AwsError {
  return s3Error('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', 403, { TargetBucketLocation: targetRegion });
}

export function aclNotSupported(): AwsError {
  return s3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

export function invalidRetentionPeriod(message: string): AwsError {
  return s3Error('InvalidRetentionPeriod', message, 400);
}

export function noSuchObjectLockConfiguration(): AwsError {
  return s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
}

/** Object Lock on a bucket created without it. */
export function missingObjectLockConfiguration(): AwsError {
  return invalidRequest('Bucket is missing Object Lock Configuration');
}

export function invalidBucketAclWithObjectOwnership(): AwsError {
  return s3Error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
}

export function invalidEncryptionAlgorithm(algorithm: string): AwsError {
  return s3Error('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', 400, {
    ArgumentName: 'x-amz-server-side-encryption',
    ArgumentValue: algorithm,
  });
}

/** An SSE-C object read with another key (or none that can be checked). */
export function wrongCustomerKey(): AwsError {
  return s3Error('AccessDenied', 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.', 403);
}

export function malformedAcl(): AwsError {
  return s3Error('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function missingSecurityHeader(header: string): AwsError {
  return s3Error('MissingSecurityHeader', 'Your request was missing a required header', 400, { MissingHeaderName: header });
}

export function unexpectedContent(): AwsError {
  return s3Error('UnexpectedContent', 'This request does not support content', 400);
}
