import type { ValidRequest } from './fetch-request.js';
import { netFailed } from './net-errors.js';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

// Fetch standard: credentials do not follow a request to another origin.
const CROSS_ORIGIN_DROPPED = ['authorization', 'proxy-authorization', 'cookie', 'cookie2'];
// Fetch standard: headers that describe a body go when the body goes.
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'];

function without(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}

/**
 * The request for the next hop of a redirect, as the fetch standard builds it:
 * 303 (and 301/302 after POST) become a GET without body; credentials are not
 * carried to another origin. The new URL is not checked here: the caller checks
 * every hop like the first one.
 */
export function followRedirect(current: ValidRequest, status: number, location: string): ValidRequest {
  let url: URL;
  try {
    url = new URL(location, current.url);
  } catch {
    throw netFailed(`net: ${current.url.host} redirected to an invalid URL`);
  }
  if (url.username !== '' || url.password !== '') {
    throw netFailed(`net: ${current.url.host} redirected to a URL with a user name or password`);
  }
  const toGet = (status === 303 && current.method !== 'HEAD') || ((status === 301 || status === 302) && current.method === 'POST');
  let headers = url.origin === current.url.origin ? current.headers : without(current.headers, CROSS_ORIGIN_DROPPED);
  if (toGet) headers = without(headers, BODY_HEADERS);
  return { url, method: toGet ? 'GET' : current.method, headers, body: toGet ? undefined : current.body };
}
