import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachmentsProblem } from './attachment-rules.js';
import { sendJson, startLoopbackServer } from './loopback-server.js';
import { waitFor, type WaitOptions } from './wait-for.js';

export type ConnectorCallKind = 'reply' | 'send' | 'update' | 'create' | 'member';

/** One request the bot made to the connector, as received. */
export interface ConnectorCall {
  kind: ConnectorCallKind;
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  /** The parsed JSON body; undefined for GET. */
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
  status: number;
  /** The `id` the stand-in answered with, for sends, replies and creations. */
  responseId?: string;
}

export interface ConnectorMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  userPrincipalName?: string;
  email?: string;
}

export interface ConnectorStandIn {
  /** What activities carry as `serviceUrl`: `http://127.0.0.1:<port>/amer/` (the path prefix is kept, as Teams does). */
  serviceUrl: string;
  calls: ConnectorCall[];
  addMember(conversationId: string, member: ConnectorMember): void;
  /** The next `count` calls of the given kind fail with `status`. */
  failNext(kind: ConnectorCallKind, status: number, count?: number): void;
  waitFor(predicate: (call: ConnectorCall) => boolean, options?: WaitOptions): Promise<ConnectorCall>;
  /** Hears every call as it is answered (a load generator waits on this rather than polling); returns the unsubscribe. */
  onCall(listener: (call: ConnectorCall) => void): () => void;
  /** TCP connections the bot opened so far. */
  connections(): number;
  stop(): Promise<void>;
}

const PREFIX = '/amer/v3/conversations';

interface Route {
  kind: ConnectorCallKind;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
}

/** Decodes the connector REST paths the bot uses; undefined for anything else. */
function route(method: string, pathname: string): Route | undefined {
  if (!pathname.startsWith(PREFIX)) return undefined;
  const parts = pathname.slice(PREFIX.length).split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  const [conversationId, collection, itemId] = parts;
  if (parts.length === 0 && method === 'POST') return { kind: 'create' };
  if (collection === 'activities' && parts.length === 2 && method === 'POST') return { kind: 'send', conversationId };
  if (collection === 'activities' && parts.length === 3 && method === 'POST') return { kind: 'reply', conversationId, activityId: itemId };
  if (collection === 'activities' && parts.length === 3 && method === 'PUT') return { kind: 'update', conversationId, activityId: itemId };
  if (collection === 'members' && parts.length === 3 && method === 'GET') return { kind: 'member', conversationId, memberId: itemId };
  return undefined;
}

/** Sends, replies and updates carry an activity whose attachments the stand-in checks. */
function carriesActivity(kind: ConnectorCallKind): boolean {
  return kind === 'send' || kind === 'reply' || kind === 'update';
}

function newMessageId(): string {
  return `1:${randomBytes(12).toString('base64url')}`;
}

/**
 * A loopback Bot Connector service: records replies, sends, updates, conversation creations and member
 * look-ups, and answers the way the real one does (201 with the new activity id). Any bearer is accepted.
 * An activity with a malformed attachment is refused with 400 BadArgument (and recorded with that status).
 */
export async function startConnectorService(): Promise<ConnectorStandIn> {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, Map<string, ConnectorMember>>();
  const failures = new Map<ConnectorCallKind, { status: number; count: number }>();
  const listeners = new Set<(call: ConnectorCall) => void>();

  const answer = (res: ServerResponse, call: ConnectorCall, status: number, body: unknown): void => {
    call.status = status;
    calls.push(call);
    sendJson(res, status, body);
    for (const listener of listeners) listener(call);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const method = req.method ?? 'GET';
    const pathname = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const found = route(method, pathname);
    if (!found) {
      sendJson(res, 404, { error: { code: 'NotFound', message: `no connector route for ${method} ${pathname}` } });
      return;
    }
    let body: Record<string, unknown> | undefined;
    try {
      body = text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      sendJson(res, 400, { error: { code: 'BadSyntax', message: 'the body is not JSON' } });
      return;
    }
    const call: ConnectorCall = { ...found, method, path: pathname, body, authorization: req.headers.authorization, status: 0 };
    const failure = failures.get(found.kind);
    if (failure && failure.count > 0) {
      failure.count -= 1;
      answer(res, call, failure.status, { error: { code: 'ServiceError', message: `stand-in failure ${failure.status}` } });
      return;
    }
    const problem = carriesActivity(call.kind) ? attachmentsProblem(body) : undefined;
    if (problem) {
      answer(res, call, 400, { error: { code: 'BadArgument', message: problem } });
      return;
    }
    respond(res, call);
  };

  const respond = (res: ServerResponse, call: ConnectorCall): void => {
    switch (call.kind) {
      case 'reply':
      case 'send':
        call.responseId = newMessageId();
        return answer(res, call, 201, { id: call.responseId });
      case 'update':
        return answer(res, call, 200, { id: call.activityId });
      case 'create': {
        call.responseId = `a:${randomBytes(16).toString('base64url')}`;
        const withActivity = typeof call.body?.activity === 'object' && call.body.activity !== null;
        return answer(res, call, 201, { id: call.responseId, ...(withActivity ? { activityId: newMessageId() } : {}) });
      }
      case 'member': {
        const member = members.get(call.conversationId ?? '')?.get(call.memberId ?? '');
        if (!member) {
          return answer(res, call, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not part of the conversation.' } });
        }
        return answer(res, call, 200, member);
      }
    }
  };

  const server = await startLoopbackServer(handle);
  return {
    serviceUrl: `${server.url}/amer/`,
    calls,
    addMember(conversationId, member) {
      const inConversation = members.get(conversationId) ?? new Map<string, ConnectorMember>();
      inConversation.set(member.id, member);
      members.set(conversationId, inConversation);
    },
    failNext(kind, status, count = 1) {
      failures.set(kind, { status, count });
    },
    waitFor: (predicate, options) =>
      waitFor(() => calls.find(predicate), { what: 'a connector call matching the predicate', ...options }),
    onCall(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    connections: () => server.connections(),
    stop: () => server.stop(),
  };
}
