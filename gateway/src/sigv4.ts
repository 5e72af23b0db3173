import type { IncomingHttpHeaders } from 'node:http';

/** What a request's signature says about its caller. Stratus reads it; it does not verify it. */
export interface Credential {
  accessKeyId: string;
  region?: string;
  /** Signing name from the credential scope (`sqs`, `sts`, `s3`, `dynamodb`...). */
  service?: string;
}

// AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, SignedHeaders=..., Signature=...
const V4_HEADER = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
// SigV2 (S3): "AWS AKID:signature"
const V2_HEADER = /^AWS ([^:\s]+):/;

/** From the Authorization header, or from a presigned URL's X-Amz-Credential / AWSAccessKeyId. */
export function credentialOf(headers: IncomingHttpHeaders, query?: URLSearchParams): Credential | undefined {
  const auth = headers.authorization;
  if (auth) {
    const v4 = V4_HEADER.exec(auth);
    if (v4) return { accessKeyId: v4[1], region: v4[2], service: v4[3] };
    const v2 = V2_HEADER.exec(auth);
    if (v2) return { accessKeyId: v2[1] };
  }
  if (query) {
    const scope = query.get('X-Amz-Credential');
    if (scope) {
      const [accessKeyId, , region, service] = scope.split('/');
      return { accessKeyId, region, service };
    }
    const v2Key = query.get('AWSAccessKeyId');
    if (v2Key) return { accessKeyId: v2Key };
  }
  return undefined;
}
