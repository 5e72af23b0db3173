import type { OperationModel, ServiceModel } from './model.js';

/**
 * Finds the operation of a REST request (rest-xml, rest-json) from its method, path and query string,
 * as the model's `http.requestUri` templates say: `/{Bucket}/{Key+}?uploads` has two labels (the
 * second greedy: it spans slashes) and a query literal that must be present. Where several templates
 * match (S3's PUT /{Bucket}/{Key+} is PutObject, CopyObject, UploadPart and UploadPartCopy), the one
 * whose required query and header members the request carries wins; then the one with more query
 * literals; then the one not deprecated. SDKs that add `x-id=<Operation>` to ambiguous requests name
 * it outright.
 */

type Segment = { literal: string } | { label: string; greedy: boolean };

interface Template {
  op: OperationModel;
  segments: Segment[];
  /** Query literals: `uploads` (present), `list-type=2` (with that value). */
  query: { key: string; value?: string }[];
  /** Required members carried in the query string (wire names) and headers (lowercase). */
  requiredQuery: string[];
  requiredHeaders: string[];
}

export interface RestMatch {
  operation: string;
  /** Label values, percent-decoded: `{Bucket: 'b', Key: 'a/b c'}`. */
  labels: Record<string, string>;
}

/** A request path that could not be percent-decoded. */
export class MalformedPathError extends Error {}

type Headers = Record<string, string | string[] | undefined>;

export class RestRouter {
  private readonly byMethod = new Map<string, Template[]>();

  /** `include` leaves operations out of routing (S3 Express's ListDirectoryBuckets, host-prefixed ones). */
  constructor(
    readonly model: ServiceModel,
    include: (op: OperationModel) => boolean = () => true,
  ) {
    for (const name of model.operationNames) {
      const op = model.operation(name);
      if (!op?.http || !include(op)) continue;
      const t = compileTemplate(op);
      const list = this.byMethod.get(op.http.method) ?? [];
      list.push(t);
      this.byMethod.set(op.http.method, list);
    }
  }

  /**
   * The operation for a request. `rawPath` is the path as sent (percent-encoded, no query string).
   * Undefined when nothing matches; throws MalformedPathError when a label is not valid percent-encoding.
   */
  match(method: string, rawPath: string, query: URLSearchParams, headers: Headers): RestMatch | undefined {
    const templates = this.byMethod.get(method);
    if (!templates) return undefined;
    const segments = rawPath.split('/').slice(1);
    const named = query.get('x-id');
    let best: Template | undefined;
    let bestScore = -1;
    let bestLabels: Record<string, string> | undefined;
    for (const t of templates) {
      // The query literals first: they rule out most templates without building any labels.
      if (!t.query.every((q) => (q.value === undefined ? query.has(q.key) : query.get(q.key) === q.value))) continue;
      const labels = matchPath(t.segments, segments);
      if (!labels) continue;
      if (named !== null && t.op.name === named) return { operation: t.op.name, labels: decodeLabels(labels) };
      const carried = t.requiredQuery.every((k) => query.has(k)) && t.requiredHeaders.every((h) => headers[h] !== undefined);
      const score =
        (carried ? 1_000_000 : 0) + (t.requiredQuery.length + t.requiredHeaders.length) * 1000 + t.query.length * 10 + (t.op.deprecated ? 0 : 1);
      if (score > bestScore) {
        best = t;
        bestScore = score;
        bestLabels = labels;
      }
    }
    return best ? { operation: best.op.name, labels: decodeLabels(bestLabels!) } : undefined;
  }
}

function compileTemplate(op: OperationModel): Template {
  const uri = op.http!.requestUri;
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const segments: Segment[] = path
    .split('/')
    .slice(1)
    .filter((s, i, all) => s !== '' || i < all.length - 1)
    .map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
    });
  const query =
    q < 0
      ? []
      : uri
          .slice(q + 1)
          .split('&')
          .filter(Boolean)
          .map((p) => {
            const eq = p.indexOf('=');
            return eq < 0 ? { key: p } : { key: p.slice(0, eq), value: p.slice(eq + 1) };
          })
          // Smithy models name the operation in `x-id`; it disambiguates, it is not required.
          .filter((p) => p.key !== 'x-id');
  const requiredQuery: string[] = [];
  const requiredHeaders: string[] = [];
  const input = op.input;
  if (input) {
    for (const m of input.members) {
      if (!input.required.includes(m.name)) continue;
      if (m.location === 'querystring') requiredQuery.push(m.locationName ?? m.name);
      else if (m.location === 'header') requiredHeaders.push((m.locationName ?? m.name).toLowerCase());
    }
  }
  return { op, segments, query, requiredQuery, requiredHeaders };
}

/** Raw (still percent-encoded) label values when the path fits the template. */
function matchPath(template: Segment[], segments: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  for (const seg of template) {
    if ('literal' in seg) {
      if (segments[i] !== seg.literal) return undefined;
      i++;
    } else if (seg.greedy) {
      const rest = segments.slice(i).join('/');
      if (rest === '') return undefined;
      labels[seg.label] = rest;
      i = segments.length;
    } else {
      const value = segments[i];
      if (value === undefined || value === '') return undefined;
      labels[seg.label] = value;
      i++;
    }
  }
  // A trailing slash after the last label (`/bucket/`) still matches `/{Bucket}`; `/` matches `/`.
  if (i === segments.length) return labels;
  if (i === segments.length - 1 && segments[i] === '') return labels;
  return undefined;
}

function decodeLabels(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in raw) {
    const v = raw[k];
    try {
      out[k] = v.includes('%') ? decodeURIComponent(v) : v;
    } catch {
      throw new MalformedPathError(`cannot percent-decode ${v}`);
    }
  }
  return out;
}
