import { isDeepStrictEqual } from 'node:util';
import { CapabilityDeniedError, NetworkError } from '../../capabilities/net/net-errors.js';
import { checkGrant, type NetGrant } from '../../capabilities/net/net-policy.js';
import type { FetchRequest, FetchResponse } from '../../capabilities/net/safe-fetch.js';
import type { SecretBinder } from '../../capabilities/secrets/secret-binder.js';
import type { HttpExchange } from './conversation-schema.js';

/**
 * `ctx.fetch` for the plugin harness: the same grant check and secret substitution as the real network capability,
 * then the scripted exchange instead of a socket. Every request must be the next one the script expects.
 */
export class ScriptedFetch {
  readonly problems: string[] = [];
  private next = 0;

  constructor(private readonly script: HttpExchange[]) {}

  remaining(): HttpExchange[] {
    return this.script.slice(this.next);
  }

  async fetch(grant: NetGrant, request: FetchRequest, binder: SecretBinder): Promise<FetchResponse> {
    const url = new URL(request.url);
    const decision = checkGrant(grant, url);
    if (!decision.allowed) throw new CapabilityDeniedError(decision.reason);
    const method = (request.init?.method ?? 'GET').toUpperCase();
    const headers = binder.substituteHeaders(request.init?.headers ?? {}, url);
    const expected = this.script[this.next];
    if (!expected) {
      this.problems.push(`unexpected request ${method} ${request.url} (the script expects no more requests)`);
      throw new NetworkError(`net: no scripted response for ${method} ${request.url}`);
    }
    this.next++;
    const mismatch = compare(expected, method, request.url, headers, request.init?.body);
    if (mismatch.length > 0) this.problems.push(...mismatch.map((m) => binder.redact(`request ${this.next}: ${m}`)));
    const { response } = expected;
    const body = response.json !== undefined ? JSON.stringify(response.json) : response.body ?? '';
    const responseHeaders = { ...(response.json !== undefined ? { 'content-type': 'application/json' } : {}), ...response.headers };
    return { status: response.status, headers: responseHeaders, body: binder.redact(body), url: request.url, redirected: false };
  }
}

function compare(expected: HttpExchange, method: string, url: string, headers: Record<string, string>, body: string | undefined): string[] {
  const problems: string[] = [];
  const want = expected.request;
  if (want.method.toUpperCase() !== method) problems.push(`method ${method}, expected ${want.method.toUpperCase()}`);
  if (want.url !== url) problems.push(`url ${url}, expected ${want.url}`);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, value] of Object.entries(want.headers)) {
    const got = lower[name.toLowerCase()];
    if (got !== value) problems.push(`header ${name} is ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
  }
  if (want.body !== undefined && want.body !== (body ?? '')) problems.push(`body ${JSON.stringify(body ?? '')}, expected ${JSON.stringify(want.body)}`);
  if (want.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body ?? '');
    } catch {
      problems.push(`body is not JSON: ${JSON.stringify((body ?? '').slice(0, 200))}`);
      return problems;
    }
    if (!isDeepStrictEqual(parsed, want.json)) problems.push(`JSON body ${JSON.stringify(parsed)}, expected ${JSON.stringify(want.json)}`);
  }
  return problems;
}
