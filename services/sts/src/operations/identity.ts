import type { CallContext } from '@stratus/shared';

/** GetCallerIdentity's answer: every caller is its account's root user. */
export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

/**
 * SDKs and Terraform call this first to learn the account. The account follows the access key
 * (a 12-digit key id is that account, anything else 000000000000), so suites isolate by credentials.
 */
export function getCallerIdentity(_input: unknown, ctx: CallContext): CallerIdentity {
  return { UserId: ctx.account, Account: ctx.account, Arn: `arn:aws:iam::${ctx.account}:root` };
}
