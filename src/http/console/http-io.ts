import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserError, type ErrorCode } from '../../core/errors.js';

/** A user error with the HTTP status it is answered with. */
export class ConsoleHttpError extends UserError {
  override readonly name: string = 'ConsoleHttpError';
  constructor(readonly status: number, code: ErrorCode, message: string) {
    super(code, message);
  }
}

const BODY_LIMIT = 16 * 1024;

/** Headers on every console answer: no framing, no sniffing, no referrer (a login link must not leak), scripts from here only. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
});

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The JSON object of a request body; refuses other types, oversized bodies and bad JSON, each with its own answer. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = headerOf(req, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ConsoleHttpError(415, 'E_BAD_ARGS', `the body must be JSON (content-type: application/json), not ${type || 'nothing'}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new ConsoleHttpError(413, 'E_BAD_ARGS', `the body is larger than ${BODY_LIMIT / 1024} KiB`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (err) {
    throw new ConsoleHttpError(400, 'E_BAD_ARGS', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConsoleHttpError(400, 'E_BAD_ARGS', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A required string field of a body; a clear error naming the field otherwise. */
export function requiredString(body: Record<string, unknown>, name: string, max = 4000): string {
  const value = optionalString(body, name, max);
  if (value === undefined) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `the body needs "${name}"`);
  return value;
}

export function optionalString(body: Record<string, unknown>, name: string, max = 4000): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${name}" must be a string, not ${Array.isArray(value) ? 'a list' : typeof value}`);
  if (value.length > max) throw new ConsoleHttpError(400, 'E_BAD_ARGS', `"${name}" may be at most ${max} characters`);
  return value;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { error: message, code });
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A small page of its own, for answers a browser shows before the app loads (not logged in, not built). */
export function notice(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
    + `<title>${escapeHtml(title)} - opsroom</title><link rel="icon" href="data:,"></head><body>`
    + `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}
