import { formatBytes } from './net-format.js';
import { netDenied, netFailed } from './net-errors.js';

/** What a plugin's `ctx.fetch(url, init)` arrives as on the host: plain data, copied out of the isolate. */
export interface FetchRequest {
  url: string;
  init?: { method?: string; headers?: Record<string, string>; body?: string };
}

export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof ALLOWED_METHODS)[number];

/** A request that passed every input check; header names are lower-case. */
export interface ValidRequest {
  url: URL;
  method: Method;
  headers: Record<string, string>;
  body: string | undefined;
}

const MAX_URL_LENGTH = 16 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const INIT_KEYS = ['method', 'headers', 'body'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
// The host frames the request itself; a plugin that could set these could smuggle a second request or retarget this one.
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection']);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseUrl(raw: unknown): URL {
  if (typeof raw !== 'string') throw netFailed(`net: the URL must be a string (got ${typeName(raw)})`);
  if (raw.length > MAX_URL_LENGTH) throw netDenied(`net: the URL is ${formatBytes(raw.length)} long; the limit is ${formatBytes(MAX_URL_LENGTH)}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw netFailed(`net: ${JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw)} is not a valid absolute URL`);
  }
  if (url.username !== '' || url.password !== '') {
    throw netFailed('net: the URL carries a user name or password; send credentials in a header instead');
  }
  return url;
}

function parseMethod(raw: unknown): Method {
  if (raw === undefined || raw === null) return 'GET';
  if (typeof raw !== 'string') throw netFailed(`net: init.method must be a string (got ${typeName(raw)})`);
  const method = raw.toUpperCase();
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    throw netDenied(`net: method ${JSON.stringify(raw)} is not allowed (allowed: ${ALLOWED_METHODS.join(', ')})`);
  }
  return method as Method;
}

function checkHeaderValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value)) throw netDenied(`net: header ${name} contains a line break or NUL`);
  const bad = /[^\t\x20-\x7e\x80-\xff]/.exec(value);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw netFailed(`net: header ${name} contains a character that cannot be sent in a header (U+${code})`);
  }
}

function parseHeaders(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) throw netFailed(`net: init.headers must be an object of strings (got ${typeName(raw)})`);
  const headers: Record<string, string> = {};
  let bytes = 0;
  for (const [rawName, value] of Object.entries(raw)) {
    if (!TOKEN.test(rawName)) throw netFailed(`net: ${JSON.stringify(rawName)} is not a valid header name`);
    const name = rawName.toLowerCase();
    if (typeof value !== 'string') throw netFailed(`net: header ${name} must be a string (got ${typeName(value)})`);
    if (FORBIDDEN_HEADERS.has(name)) throw netDenied(`net: header ${name} is set by the host and may not be set by a plugin`);
    if (name in headers) throw netFailed(`net: header ${name} is given twice (header names ignore case)`);
    checkHeaderValue(name, value);
    headers[name] = value;
    bytes += name.length + value.length + 4;
  }
  if (bytes > MAX_HEADER_BYTES) throw netDenied(`net: request headers of ${formatBytes(bytes)} exceed the ${formatBytes(MAX_HEADER_BYTES)} limit`);
  return headers;
}

function parseBody(raw: unknown, method: Method, maxBytes: number): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw netFailed(`net: init.body must be a string (got ${typeName(raw)}); use JSON.stringify for JSON`);
  if (method === 'GET' || method === 'HEAD') throw netFailed(`net: a ${method} request cannot have a body`);
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > maxBytes) throw netDenied(`net: request body of ${formatBytes(bytes)} exceeds the ${formatBytes(maxBytes)} limit`);
  return raw;
}

/** Checks a request from the sandbox field by field; every problem is an error that names the field. */
export function validateRequest(request: unknown, maxRequestBytes: number): ValidRequest {
  if (!isPlainObject(request)) throw netFailed(`net: a request must be an object with a url (got ${typeName(request)})`);
  const url = parseUrl(request.url);
  const init = request.init ?? {};
  if (!isPlainObject(init)) throw netFailed(`net: init must be an object (got ${typeName(init)})`);
  for (const key of Object.keys(init)) {
    if (!INIT_KEYS.includes(key)) throw netFailed(`net: init.${key} is not supported (supported: ${INIT_KEYS.join(', ')})`);
  }
  const method = parseMethod(init.method);
  return { url, method, headers: parseHeaders(init.headers), body: parseBody(init.body, method, maxRequestBytes) };
}
