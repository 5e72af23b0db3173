import { createHash, createHmac } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

/**
 * A small AWS query-protocol client, as SDKs spoke SQS before its JSON protocol (JS SDK v2, boto before
 * 2024, Java v1, PHP, most tools) and as STS, SNS and IAM still do: SigV4-signed
 * `application/x-www-form-urlencoded` POSTs (or GETs with the parameters in the query string) of
 * `Action=…&Version=…&…`, answered with XML. Lists and maps are flattened into numbered parameters by
 * the helpers below; answers are parsed with fast-xml-parser, every value kept as text.
 */

export type Params = Record<string, string | number | boolean | undefined>;

export interface QueryClientOptions {
  endpoint: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  /** SigV4 signing name: `sqs`, `sts`... */
  service?: string;
  /** The API version sent as `Version=`. */
  version?: string;
}

export interface RequestOptions {
  /** Path (or full URL on the endpoint) to send to, e.g. a queue URL; `/` when absent. */
  path?: string;
  method?: 'POST' | 'GET';
  /** Leave out `Version=`. */
  noVersion?: boolean;
  /** Extra headers (signed too). */
  headers?: Record<string, string>;
  /** Send without an Authorization header. */
  unsigned?: boolean;
}

export interface QueryResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed XML document ({} when the body is not XML). */
  doc: any;
}

/** An `<ErrorResponse>` from the server. */
export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly requestId: string,
    readonly response: QueryResponse,
  ) {
    super(message);
    this.name = 'QueryError';
  }

  /** The `<Error>` element, with any extra children (`Detail`...). */
  get error(): Record<string, unknown> {
    return this.response.doc.ErrorResponse.Error;
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Values stay text, exactly as sent: no number parsing, no trimming of message bodies.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Numeric character references (`&#xD;`, which keeps a CR in an SQS body) need this.
  htmlEntities: true,
});

export function parseXml(text: string): any {
  return parser.parse(text);
}

export class QueryClient {
  readonly endpoint: string;
  readonly signing: SigningOptions;
  private readonly version: string;

  constructor(options: QueryClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.signing = {
      accessKeyId: options.accessKeyId ?? 'test',
      secretAccessKey: options.secretAccessKey ?? 'test',
      region: options.region ?? 'us-east-1',
      service: options.service ?? 'sqs',
    };
    this.version = options.version ?? '2012-11-05';
  }

  /** Sends one request and returns whatever came back, error or not. `action` undefined sends no Action. */
  async request(action: string | undefined, params: Params = {}, options: RequestOptions = {}): Promise<QueryResponse> {
    const all: [string, string][] = [];
    if (action !== undefined) all.push(['Action', action]);
    if (!options.noVersion) all.push(['Version', this.version]);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) all.push([k, String(v)]);
    const encoded = all.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&');

    const method = options.method ?? 'POST';
    const target = new URL(options.path ?? '/', `${this.endpoint}/`);
    const body = method === 'POST' ? encoded : '';
    if (method === 'GET') target.search = encoded;
    const headers: Record<string, string> = { ...options.headers };
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    if (!options.unsigned) Object.assign(headers, sigv4Headers(this.signing, { method, url: target, headers, body }));

    const res = await fetch(target, { method, headers, body: method === 'POST' ? body : undefined });
    const text = await res.text();
    let doc: any = {};
    if (text.trimStart().startsWith('<')) doc = parseXml(text);
    return { status: res.status, headers: res.headers, text, doc };
  }

  /**
   * Sends one request and returns the content of `<ActionResult>` ({} for actions without one);
   * throws a QueryError for an `<ErrorResponse>`.
   */
  async call(action: string, params: Params = {}, options: RequestOptions = {}): Promise<any> {
    const res = await this.request(action, params, options);
    if (res.status >= 300) throw queryError(res);
    const response = res.doc[`${action}Response`];
    if (response === undefined) throw new Error(`no <${action}Response> in ${res.status} answer: ${res.text}`);
    const result = response[`${action}Result`];
    return result === undefined || result === '' ? {} : result;
  }
}

export interface SigningOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Signing name: `sqs`, `sts`... */
  service: string;
}

/**
 * SigV4 headers (`authorization`, `x-amz-date`, `x-amz-content-sha256`) for one request to `url` (its
 * query string is signed too); `headers` are the ones to sign besides host. Stratus reads the credential scope
 * (account from a 12-digit key, region, service); the signature is still a real one.
 */
export function sigv4Headers(
  signing: SigningOptions,
  request: { method: string; url: URL; headers?: Record<string, string>; body: string | Buffer },
): Record<string, string> {
  const { method, url } = request;
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const signed: Record<string, string> = { ...lowerKeys(request.headers ?? {}), host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  const names = Object.keys(signed).sort();
  const canonicalQuery = url.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const [k, v = ''] = p.split('=');
      return [uriEncode(decodeURIComponent(k)), uriEncode(decodeURIComponent(v))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    method,
    url.pathname.split('/').map((s) => uriEncode(decodeURIComponent(s))).join('/'),
    canonicalQuery,
    ...names.map((n) => `${n}:${signed[n].trim().replace(/\s+/g, ' ')}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${signing.region}/${signing.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${signing.secretAccessKey}`, date);
  for (const part of [signing.region, signing.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'x-amz-date': amzDate,
    'x-amz-content-sha256': payloadHash,
    authorization: `AWS4-HMAC-SHA256 Credential=${signing.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

/** The QueryError for a non-2xx answer (a plain Error when it is not an `<ErrorResponse>`). */
export function queryError(res: QueryResponse): Error {
  const e = res.doc?.ErrorResponse?.Error;
  if (!e) return new Error(`HTTP ${res.status} without an <ErrorResponse>: ${res.text}`);
  return new QueryError(res.status, e.Type, e.Code, e.Message ?? '', res.doc.ErrorResponse.RequestId, res);
}

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
const lowerKeys = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

// ---- Flattening inputs the way query SDKs do ----

/** `Name.1=a&Name.2=b` (a flattened list, e.g. `AttributeName.N`, `MessageAttributeName.N`, `TagKey.N`). */
export function listParams(name: string, values: readonly string[]): Params {
  return Object.fromEntries(values.map((v, i) => [`${name}.${i + 1}`, v]));
}

/** `Prefix.1.Name=k&Prefix.1.Value=v` (a flattened map: `Attribute.N`, `Tag.N` with Key/Value). */
export function mapParams(prefix: string, map: Record<string, string>, keyName = 'Name', valueName = 'Value'): Params {
  const out: Params = {};
  Object.entries(map).forEach(([k, v], i) => {
    out[`${prefix}.${i + 1}.${keyName}`] = k;
    out[`${prefix}.${i + 1}.${valueName}`] = v;
  });
  return out;
}

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/**
 * `MessageAttribute.N.Name`, `.Value.DataType`, `.Value.StringValue` / `.Value.BinaryValue` (base64);
 * `MessageSystemAttribute` uses the same layout.
 */
export function messageAttributeParams(attributes: Record<string, MessageAttribute>, prefix = 'MessageAttribute'): Params {
  const out: Params = {};
  Object.entries(attributes).forEach(([name, a], i) => {
    const p = `${prefix}.${i + 1}`;
    out[`${p}.Name`] = name;
    out[`${p}.Value.DataType`] = a.DataType;
    if (a.StringValue !== undefined) out[`${p}.Value.StringValue`] = a.StringValue;
    if (a.BinaryValue !== undefined) out[`${p}.Value.BinaryValue`] = Buffer.from(a.BinaryValue).toString('base64');
  });
  return out;
}

/** `Entry.1.Id=…&Entry.1.MessageBody=…` for batch requests (`SendMessageBatchRequestEntry`...). */
export function batchParams(entryName: string, entries: readonly Params[]): Params {
  const out: Params = {};
  entries.forEach((entry, i) => {
    for (const [k, v] of Object.entries(entry)) if (v !== undefined) out[`${entryName}.${i + 1}.${k}`] = v;
  });
  return out;
}

// ---- Reading answers ----

/** A repeated (flattened) element as an array: absent is [], one element is [it]. */
export function items<T = any>(x: T | T[] | undefined | ''): T[] {
  if (x === undefined || x === '') return [];
  return Array.isArray(x) ? x : [x];
}

/** `<Attribute><Name/><Value/></Attribute>…` (or `<Tag><Key/><Value/>`) as a record. */
export function entries(x: unknown, keyName = 'Name', valueName = 'Value'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of items(x as Record<string, string>[])) out[e[keyName]] = e[valueName] ?? '';
  return out;
}

/** `<MessageAttribute><Name/><Value><DataType/><StringValue/>…` as the SDKs' MessageAttributes record. */
export function messageAttributes(x: unknown): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const e of items(x as { Name: string; Value: Record<string, string> }[])) {
    const v = e.Value;
    out[e.Name] = { DataType: v.DataType };
    if (v.StringValue !== undefined) out[e.Name].StringValue = v.StringValue;
    if (v.BinaryValue !== undefined) out[e.Name].BinaryValue = Buffer.from(v.BinaryValue, 'base64');
  }
  return out;
}

/**
 * The MD5 SQS computes over message attributes (SQS developer guide, "Calculating the MD5 message
 * digest for message attributes"): names sorted, each length-prefixed with its data type, a transport
 * byte (1 string, 2 binary) and the length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttribute>): string {
  const parts: Buffer[] = [];
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(a.DataType, 'utf8'));
    if (a.StringValue !== undefined) {
      parts.push(Buffer.from([1]));
      field(Buffer.from(a.StringValue, 'utf8'));
    } else {
      parts.push(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue ?? new Uint8Array()));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

export const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
