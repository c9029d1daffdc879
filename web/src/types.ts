/** What the console API and socket send; mirrors src/core/local-chat-hub.ts and src/http/console/api on the server. */

export interface MessageButton { id: string; label: string; style?: 'primary' | 'danger' | 'secondary' }
export interface Card {
  title?: string;
  text?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  url?: string;
  color?: string;
  footer?: string;
}
export interface OutboundMessage { text: string; card?: Card; buttons?: MessageButton[]; ephemeral?: boolean; reactions?: string[] }

/** A file the bot sent with a message; the page fetches its bytes from the console by message id and index. */
export interface ChatFile { index: number; name: string; contentType: string; size: number; problem?: string }

export interface ChatEntry {
  id: string;
  shortId: string;
  channel: string;
  author: { id: string; name: string; isBot: boolean };
  message: OutboundMessage;
  files?: ChatFile[];
  at: string;
  replyTo?: string;
  via?: 'terminal' | 'web';
  edits: number;
  reactions: Array<{ emoji: string; by: string[] }>;
}

export type SocketFrame =
  | { type: 'snapshot'; channels: string[]; entries: ChatEntry[] }
  | { type: 'posted' | 'updated'; entry: ChatEntry };

export interface ConsoleUser {
  name: string;
  displayName: string;
  id: string;
  roles: string[];
  can: { readAudit: boolean; readPlugins: boolean; adminPlugins: boolean; adminRoles: boolean };
}

export interface SessionInfo {
  botName: string;
  users: ConsoleUser[];
  defaultUser: string;
  channels: string[];
  csrfToken: string;
}

export interface PendingApproval {
  id: string;
  command: string;
  text: string;
  platform: string;
  channel: string;
  requester: { id: string; name: string };
  createdAt: string;
  expiresAt: string;
  policy: { source: string; approvals: number; approverRoles: string[]; allowSelfApproval: boolean };
  approvers: string[];
  mine: boolean;
  canDecide: boolean;
  whyNot?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  actor: string;
  platform: string | null;
  channel: string | null;
  command: string | null;
  args: Record<string, unknown> | null;
  outcome: string | null;
  durationMs: number | null;
  invocationId: string | null;
  detail: Record<string, unknown> | null;
  hash: string;
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; firstBad: { seq: number; reason: string } };

export interface PluginInfo {
  name: string;
  version: string;
  description: string;
  bundled: boolean;
  state: 'loaded' | 'disabled' | 'failed';
  problems: string[];
  capabilities: Array<{ grant: string; words: string; granted: boolean }>;
  commands: Array<{ name: string; description: string; risk: string; permission: string }>;
  limits: { memoryMb: number; cpuMs: number; wallMs: number } | null;
  loadMs: number | null;
}

export interface WishlistEntry { command: string; count: number; askers: string[]; lastAskedAt: string }

export interface RoleInfo { name: string; description?: string; permissions: string[]; principals: string[]; groups: string[] }
