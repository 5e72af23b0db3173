import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  ADMIN_DUMP,
  ADMIN_RESET,
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  isAwsError,
  type Bus,
  type CallContext,
  type Clock,
  type ClockState,
  type ClockSync,
} from '@stratus/shared';
import { readDocumentBody } from './body.js';

export interface AdminOptions {
  bus: Bus;
  clock: Clock;
  clockSync: ClockSync;
  mode: 'embedded' | 'distributed';
  /** Services this gateway routes to. */
  services: string[];
  version: string;
}

/** Body of POST /_stratus/clock; every field optional, applied in this order. */
interface ClockRequest {
  reset?: boolean;
  advanceMs?: number;
  advanceSeconds?: number;
  /** true freezes (at `at` when given, else now); false lets time run again. */
  freeze?: boolean;
  at?: string | number;
}

class BadRequest extends Error {}

/** `/_stratus/`: health, reset, state dump and the clock, for test harnesses and people. */
export class AdminApi {
  constructor(private readonly o: AdminOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const parsed = new URL(url, 'http://stratus');
    const verb = `${req.method} ${parsed.pathname.replace(/\/+$/, '')}`;
    try {
      switch (verb) {
        case 'GET /_stratus/health':
          return json(res, 200, { status: 'ok', mode: this.o.mode, services: this.o.services, version: this.o.version });
        case 'POST /_stratus/reset':
          return json(res, 200, await this.reset(parsed.searchParams));
        case 'GET /_stratus/state':
          return json(res, 200, await this.state());
        case 'GET /_stratus/clock':
          return json(res, 200, clockView(this.o.clock.now(), this.o.clock.state()));
        case 'POST /_stratus/clock':
          return json(res, 200, await this.moveClock(req, parsed.searchParams));
        default:
          req.resume();
          return json(res, 404, { error: `No admin endpoint ${verb}. See the README's admin API section.` });
      }
    } catch (e) {
      const status = e instanceof BadRequest ? 400 : isAwsError(e) ? e.status : 500;
      return json(res, status, { error: (e as Error).message });
    }
  }

  private async reset(params: URLSearchParams): Promise<{ reset: string[]; account?: string }> {
    const only = params.get('service');
    if (only && !this.o.services.includes(only)) throw new BadRequest(`Unknown service ${only}; running: ${this.o.services.join(', ')}`);
    const account = params.get('account') ?? undefined;
    const targets = only ? [only] : this.o.services;
    await Promise.all(targets.map((s) => this.o.bus.call(s, ADMIN_RESET, { account }, adminContext())));
    return { reset: targets, account };
  }

  private async state(): Promise<Record<string, unknown>> {
    const services: Record<string, unknown> = {};
    for (const s of this.o.services) services[s] = await this.o.bus.call(s, ADMIN_DUMP, {}, adminContext());
    return { clock: clockView(this.o.clock.now(), this.o.clock.state()), services };
  }

  private async moveClock(req: IncomingMessage, params: URLSearchParams): Promise<ReturnType<typeof clockView>> {
    const text = await readDocumentBody(req);
    let body: ClockRequest;
    try {
      body = text.trim() ? (JSON.parse(text) as ClockRequest) : {};
    } catch {
      throw new BadRequest('Body must be JSON, e.g. {"advanceSeconds": 60} or {"freeze": true}');
    }
    if (params.has('advance')) body.advanceSeconds = Number(params.get('advance'));
    if (params.has('freeze')) body.freeze = params.get('freeze') !== 'false';
    const clock = this.o.clock;
    if (body.reset) clock.reset();
    const advance = (body.advanceMs ?? 0) + (body.advanceSeconds ?? 0) * 1000;
    if (!Number.isFinite(advance)) throw new BadRequest('advanceMs / advanceSeconds must be numbers');
    if (body.freeze === true) clock.freeze(body.at === undefined ? undefined : toEpochMs(body.at));
    if (body.freeze === false) clock.unfreeze();
    if (advance) clock.advance(advance);
    await this.o.clockSync.announce(clock.state());
    return clockView(clock.now(), clock.state());
  }
}

function toEpochMs(at: string | number): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new BadRequest(`"at" must be an ISO-8601 time or epoch milliseconds, got ${at}`);
  return ms;
}

function clockView(now: number, state: ClockState) {
  return { now, iso: new Date(now).toISOString(), offsetMs: state.offsetMs, frozen: state.frozenAt !== null };
}

function adminContext(): CallContext {
  return {
    account: DEFAULT_ACCOUNT,
    region: DEFAULT_REGION,
    requestId: randomUUID(),
    accessKeyId: 'stratus-admin',
    host: 'localhost',
    protocol: 'admin',
  };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
