import { accessDenied, aclNotSupported, invalidArgument, invalidRequest, malformedAcl, missingSecurityHeader, unexpectedContent } from './errors.js';
import { canonicalUserId, type BucketRecord } from './model.js';

// Access control lists, stored and reported as S3 does (they grant nothing here: Stratus does not
// enforce permissions). Buckets own their objects by default (BucketOwnerEnforced), and then S3
// refuses every ACL but the owner's full control.

export interface Grantee {
  Type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  ID?: string;
  URI?: string;
  EmailAddress?: string;
}

export interface Grant {
  Grantee: Grantee;
  Permission: string;
}

export interface StoredAcl {
  Grants: Grant[];
}

const GROUPS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const GROUP_URIS = new Set(Object.values(GROUPS));

const CANNED = new Set([
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
]);

const GRANT_HEADERS: Record<string, [string, string]> = {
  GrantFullControl: ['FULL_CONTROL', 'x-amz-grant-full-control'],
  GrantRead: ['READ', 'x-amz-grant-read'],
  GrantReadACP: ['READ_ACP', 'x-amz-grant-read-acp'],
  GrantWrite: ['WRITE', 'x-amz-grant-write'],
  GrantWriteACP: ['WRITE_ACP', 'x-amz-grant-write-acp'],
};

function owner(account: string): Grant {
  return { Grantee: { Type: 'CanonicalUser', ID: canonicalUserId(account) }, Permission: 'FULL_CONTROL' };
}

function group(name: string, permission: string): Grant {
  return { Grantee: { Type: 'Group', URI: GROUPS[name] }, Permission: permission };
}

function cannedGrants(canned: string, ownerAccount: string, bucketOwner: string): Grant[] {
  const grants = [owner(ownerAccount)];
  switch (canned) {
    case 'public-read':
      grants.push(group('AllUsers', 'READ'));
      break;
    case 'public-read-write':
      grants.push(group('AllUsers', 'READ'), group('AllUsers', 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(group('AuthenticatedUsers', 'READ'));
      break;
    case 'log-delivery-write':
      grants.push(group('LogDelivery', 'WRITE'), group('LogDelivery', 'READ_ACP'));
      break;
    case 'bucket-owner-read':
      if (bucketOwner !== ownerAccount) grants.push({ Grantee: { Type: 'CanonicalUser', ID: canonicalUserId(bucketOwner) }, Permission: 'READ' });
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== ownerAccount) grants.push(owner(bucketOwner));
      break;
  }
  return grants;
}

/** Canonical user ids: 64 hex digits. */
const CANONICAL_ID = /^[0-9a-f]{64}$/;
const PERMISSIONS = new Set(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

/** `id="..."`, `uri="..."`, `emailAddress="..."`, comma-separated. */
function headerGrantees(value: string, header: string): Grantee[] {
  return value.split(',').map((part) => {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (!m) throw invalidArgument('Argument format not recognized', header, part.trim());
    const kind = m[1].toLowerCase();
    if (kind === 'id') {
      if (!CANONICAL_ID.test(m[2])) throw invalidArgument('Invalid id', 'id', m[2]);
      return { Type: 'CanonicalUser' as const, ID: m[2] };
    }
    if (kind === 'uri') {
      if (!GROUP_URIS.has(m[2])) throw invalidArgument('Invalid group uri', 'uri', m[2]);
      return { Type: 'Group' as const, URI: m[2] };
    }
    return { Type: 'AmazonCustomerByEmail' as const, EmailAddress: m[2] };
  });
}

/** An AccessControlPolicy document's grants, checked as S3 checks them. */
function policyGrants(policy: { Owner?: { ID?: string }; Grants?: Grant[] }): Grant[] {
  if (!policy.Owner || !Array.isArray(policy.Grants)) throw malformedAcl();
  if (policy.Owner.ID !== undefined && !CANONICAL_ID.test(policy.Owner.ID)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', policy.Owner.ID);
  for (const g of policy.Grants) {
    const grantee = g?.Grantee;
    if (!grantee || !PERMISSIONS.has(g.Permission)) throw malformedAcl();
    if (grantee.Type === 'Group') {
      if (!GROUP_URIS.has(grantee.URI ?? '')) throw invalidArgument('Invalid group uri', 'Group/URI', grantee.URI);
    } else if (grantee.Type === 'CanonicalUser') {
      if (!CANONICAL_ID.test(grantee.ID ?? '')) throw invalidArgument('Invalid id', 'CanonicalUser/ID', grantee.ID);
    } else if (grantee.Type !== 'AmazonCustomerByEmail') {
      throw malformedAcl();
    }
  }
  return policy.Grants.map((g) => ({ Grantee: { ...g.Grantee }, Permission: g.Permission }));
}

/**
 * The ACL a request sets: a canned ACL (`x-amz-acl`), grant headers, or an AccessControlPolicy
 * document. Undefined when the request sets none. The ACL is checked before the bucket's ownership
 * says whether it may have one.
 */
export function aclOf(
  input: Record<string, unknown>,
  bucket: BucketRecord,
  ownerAccount: string,
  options: { required?: boolean; notSupported?: () => Error; newBucket?: boolean } = {},
): StoredAcl | undefined {
  const { required = false, notSupported = aclNotSupported } = options;
  const canned = input.ACL as string | undefined;
  const headerGrants = Object.keys(GRANT_HEADERS).filter((h) => input[h] !== undefined && input[h] !== null);
  const policy = input.AccessControlPolicy as { Owner?: { ID?: string }; Grants?: Grant[] } | undefined;
  if (canned !== undefined && headerGrants.length > 0) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (policy && (canned !== undefined || headerGrants.length > 0)) throw unexpectedContent();
  let acl: StoredAcl | undefined;
  if (canned !== undefined) {
    if (!CANNED.has(canned)) throw invalidArgument('None', 'x-amz-acl', canned);
    acl = { Grants: cannedGrants(canned, ownerAccount, bucket.account) };
  } else if (headerGrants.length > 0) {
    const grants: Grant[] = [];
    for (const h of headerGrants) {
      const [permission, header] = GRANT_HEADERS[h];
      for (const grantee of headerGrantees(String(input[h]), header)) grants.push({ Grantee: grantee, Permission: permission });
    }
    acl = { Grants: grants };
  } else if (policy) {
    acl = { Grants: policyGrants(policy) };
  } else if (required) {
    throw missingSecurityHeader('x-amz-acl');
  }
  if (acl && enforced(bucket) && !ownerOnly(acl, ownerAccount)) throw notSupported();
  // A bucket that takes ACLs still refuses public ones while Block Public Access says so (a bucket being
  // created has no public access block yet).
  if (acl && !options.newBucket && blocksPublicAcls(bucket) && isPublicAcl(acl)) throw accessDenied();
  return acl;
}

function blocksPublicAcls(bucket: BucketRecord): boolean {
  return (bucket.config.publicAccessBlock as { BlockPublicAcls?: boolean } | undefined)?.BlockPublicAcls === true;
}

/** An ACL granting anything to everyone or to every AWS user. */
function isPublicAcl(acl: StoredAcl): boolean {
  return acl.Grants.some((g) => g.Grantee.Type === 'Group' && (g.Grantee.URI === GROUPS.AllUsers || g.Grantee.URI === GROUPS.AuthenticatedUsers));
}

function enforced(bucket: BucketRecord): boolean {
  const rules = (bucket.config.ownership as { Rules?: Array<{ ObjectOwnership?: string }> } | undefined)?.Rules;
  return rules?.[0]?.ObjectOwnership === 'BucketOwnerEnforced';
}

function ownerOnly(acl: StoredAcl, ownerAccount: string): boolean {
  const id = canonicalUserId(ownerAccount);
  return acl.Grants.every((g) => g.Grantee.Type === 'CanonicalUser' && g.Grantee.ID === id && g.Permission === 'FULL_CONTROL');
}

/** The grants GetBucketAcl / GetObjectAcl report: the stored ones, or the owner's full control. */
export function aclGrants(stored: unknown, ownerAccount: string): Grant[] {
  return (stored as StoredAcl | undefined)?.Grants ?? [owner(ownerAccount)];
}
