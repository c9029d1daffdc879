import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Actor } from '../../core/chat-event.js';
import type { LocalUserInfo } from '../../core/local-chat-hub.js';
import type { ConsoleSession } from './console-sessions.js';

/** One request the console has let through: a live session, a known Host, and for POST an allowed Origin and CSRF token. */
export interface ConsoleRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Values of the `:name` parts of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  session: ConsoleSession;
  /** The local user the page speaks as (`x-opsroom-as`, else the default user); throws a 400 for an unknown name. */
  user(): { info: LocalUserInfo; actor: Actor };
  /** The JSON object body (POST). */
  body(): Promise<Record<string, unknown>>;
}

/** A route of the console. Every one needs a session; POST routes also need the CSRF token and an allowed Origin. */
export interface ConsoleRoute {
  method: 'GET' | 'POST';
  /** `/api/approvals/:id/approve`; a trailing `/*` matches any rest. */
  path: string;
  handle(request: ConsoleRequest): Promise<void> | void;
}

/** A feature's console routes; the web console collects every contribution. */
export const ConsoleApi = Symbol('ConsoleApi');
export interface ConsoleApi {
  routes(): ConsoleRoute[];
}

/** The parameters when `pathname` matches the route's path, else undefined. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  if (pattern.endsWith('/*')) {
    const base = pattern.slice(0, -1);
    return pathname.startsWith(base) && pathname.length > base.length ? { rest: pathname.slice(base.length) } : undefined;
  }
  const want = pattern.split('/');
  const have = pathname.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    const value = have[i] as string;
    if (part.startsWith(':')) {
      if (value.length === 0) return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (part !== value) {
      return undefined;
    }
  }
  return params;
}
