/** Who is calling and where: what every handler receives besides its input. */
export interface CallContext {
  /** 12-digit account id: the access key when it is 12 digits, else 000000000000. */
  account: string;
  region: string;
  requestId: string;
  /** The access key id the request was signed with (SQS reports it as SenderId). */
  accessKeyId: string;
  /** Host header of the request, for URLs the service hands back (SQS queue URLs). */
  host: string;
  /** Wire protocol the request came in on, for the few behaviours that differ (SQS query vs JSON). */
  protocol: string;
  /** The request's X-Amzn-Trace-Id header (SQS records it as a message's AWSTraceHeader). */
  traceId?: string;
}

/** One decoded AWS request on its way to a service. */
export interface Call {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  ctx: CallContext;
}

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** The account rule: a 12-digit access key id is that account; anything else is the default account. */
export function accountFromAccessKey(accessKeyId: string | undefined): string {
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}
