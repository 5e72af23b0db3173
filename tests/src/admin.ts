/** Calls to the admin API, as a test harness would make them. */
export async function admin(endpoint: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${endpoint}/_stratus/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const advanceClock = (endpoint: string, seconds: number) => admin(endpoint, 'POST', 'clock', { advanceSeconds: seconds });
