import type { IncomingHttpHeaders } from 'node:http';

/** Headers that carry credentials the host already checked; the plugin never sees them. */
const WITHHELD = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** What `onWebhook(ctx, req)` receives: plain data; `req.json()` is added inside the sandbox. */
export interface WebhookPayload {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string;
}

export function webhookPayload(method: string, headers: IncomingHttpHeaders, query: URLSearchParams, body: Buffer): WebhookPayload {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || WITHHELD.has(name)) continue;
    plain[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method, headers: plain, query: Object.fromEntries(query), body: body.toString('utf8') };
}

/** The HTTP answer to send back for what `onWebhook` returned: `{ status, body }`, a string, or nothing. */
export interface WebhookAnswer {
  status: number;
  contentType?: string;
  body: string;
}

export function answerOf(result: unknown): WebhookAnswer | { invalid: string } {
  if (result === undefined || result === null) return { status: 204, body: '' };
  if (typeof result === 'string') return { status: 200, contentType: 'text/plain; charset=utf-8', body: result };
  if (typeof result !== 'object' || Array.isArray(result)) return { invalid: `onWebhook returned ${Array.isArray(result) ? 'a list' : typeof result}; expected { status, body }` };
  const { status = 200, body } = result as { status?: unknown; body?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return { invalid: `onWebhook returned status ${JSON.stringify(status)}; expected a whole number from 200 to 599` };
  }
  if (body === undefined || body === null) return { status, body: '' };
  if (typeof body === 'string') return { status, contentType: 'text/plain; charset=utf-8', body };
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/** A header value fit for the audit log: printable and short. */
export function auditText(value: string | undefined, max = 120): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
