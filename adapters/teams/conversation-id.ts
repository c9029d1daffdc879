import { qualify, type QualifiedId } from '../../src/core/identity.js';

const THREAD_MARKER = ';messageid=';

export interface SplitConversationId {
  /** The conversation itself: a channel (`19:...@thread.tacv2`), a chat or a personal conversation. */
  base: string;
  /** The root message of a channel thread, when the id names one. */
  threadId?: string;
}

/** Teams names a channel thread `<channel id>;messageid=<root message id>`; opsroom keeps channel and thread apart. */
export function splitConversationId(id: string): SplitConversationId {
  const at = id.indexOf(THREAD_MARKER);
  if (at < 0) return { base: id };
  const threadId = id.slice(at + THREAD_MARKER.length);
  return threadId.length > 0 ? { base: id.slice(0, at), threadId } : { base: id.slice(0, at) };
}

/** The conversation id to post into: the thread of a channel when there is one, else the conversation. */
export function joinConversationId(base: string, threadId: string | undefined): string {
  return threadId ? `${base}${THREAD_MARKER}${threadId}` : base;
}

export function qualifiedConversation(base: string): QualifiedId {
  return qualify('teams', 'conversation', base);
}
