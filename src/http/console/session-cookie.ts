import type { IncomingMessage } from 'node:http';
import { parseCookies } from './http-io.js';

/** Cookies ignore ports, so two opsrooms on one host would overwrite each other's session without the port in the name. */
export function sessionCookieName(req: IncomingMessage): string {
  return `opsroom_console_${req.socket.localPort ?? 0}`;
}

export function sessionCookieOf(req: IncomingMessage): string | undefined {
  return parseCookies(req.headers.cookie).get(sessionCookieName(req)) || undefined;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure when the page is served over https. */
export function sessionCookie(req: IncomingMessage, value: string, secure: boolean): string {
  return `${sessionCookieName(req)}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(req: IncomingMessage): string {
  return `${sessionCookieName(req)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
