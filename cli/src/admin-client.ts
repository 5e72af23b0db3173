/** The admin verbs of the `stratus` command: thin calls to a running Stratus's /_stratus/ API. */
export const ADMIN_VERBS = ['health', 'state', 'reset', 'clock'];

export async function adminCommand(endpoint: string, verb: string, args: string[]): Promise<unknown> {
  switch (verb) {
    case 'health':
      return request(endpoint, 'GET', '/_stratus/health');
    case 'state':
      return request(endpoint, 'GET', '/_stratus/state');
    case 'reset': {
      const params = new URLSearchParams();
      const accountAt = args.indexOf('--account');
      if (accountAt >= 0) params.set('account', args[accountAt + 1] ?? '');
      const service = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--account');
      if (service) params.set('service', service);
      return request(endpoint, 'POST', `/_stratus/reset${params.size ? `?${params}` : ''}`);
    }
    case 'clock': {
      const [action, value] = args;
      if (!action) return request(endpoint, 'GET', '/_stratus/clock');
      const body =
        action === 'advance' ? { advanceSeconds: Number(value) }
        : action === 'freeze' ? { freeze: true }
        : action === 'unfreeze' ? { freeze: false }
        : action === 'reset' ? { reset: true }
        : undefined;
      if (!body || (action === 'advance' && !Number.isFinite(body.advanceSeconds))) {
        throw new Error('usage: stratus clock [advance <seconds> | freeze | unfreeze | reset]');
      }
      return request(endpoint, 'POST', '/_stratus/clock', body);
    }
    default:
      throw new Error(`Unknown admin verb ${verb}`);
  }
}

async function request(endpoint: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(endpoint + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const payload: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(payload)}`);
  return payload;
}
