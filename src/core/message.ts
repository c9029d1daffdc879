/** A button on an outbound message; pressing it comes back as an `action` event. */
export interface MessageButton {
  id: string;
  label: string;
  style?: 'primary' | 'danger' | 'secondary';
  value?: Record<string, unknown>;
}

/** A platform-neutral card: Discord renders it as an embed, Teams as an Adaptive Card. */
export interface Card {
  title?: string;
  text?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  url?: string;
  color?: string;
  footer?: string;
}

/**
 * A file sent with a message, such as a report's chart. Platform-neutral: Discord uploads it as a message file,
 * Teams shows an image as an inline attachment, the local platform saves it and shows where.
 */
export interface MessageAttachment {
  /** A file name such as `deploys.png`: letters, digits, `.`, `_` and `-`. */
  name: string;
  /** A MIME type such as `image/png`. */
  contentType: string;
  data: Buffer | Uint8Array;
}

/**
 * The attachment's name as a platform shows it and a file system keeps it: letters, digits, `.`, `_` and `-`, no
 * leading dot (nothing hidden, no `..`), at most 100 characters, never empty (`file-<n>` for the n-th attachment).
 */
export function safeFileName(name: string, index: number): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return cleaned.length > 0 ? cleaned.slice(0, 100) : `file-${index + 1}`;
}

/** The attachment's bytes as a Buffer over the same memory (no copy), whichever view it came as. */
export function attachmentBytes(attachment: MessageAttachment): Buffer {
  const { data } = attachment;
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** A file's size for a note in chat: KB rounded up (a file just over a limit never reads as the limit), MB from 1 MiB. */
export function fileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.ceil(bytes / 1024)).toLocaleString('en-US')} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The text with the notes about files a platform could not take after it, each on its own line (or paragraph). */
export function withFileNotes(text: string, notes: readonly string[], separator = '\n'): string {
  return notes.length === 0 ? text : [text, ...notes].filter((line) => line.length > 0).join(separator);
}

/** What opsroom sends: markdown text, optionally a card and buttons. */
export interface OutboundMessage {
  text: string;
  card?: Card;
  buttons?: MessageButton[];
  ephemeral?: boolean;
  /** Emoji reactions the adapter adds after sending, e.g. on an approval request. */
  reactions?: string[];
  /** Files to send with the text; an adapter that cannot send files says so in the text instead. */
  attachments?: MessageAttachment[];
}

/** Where a sent message lives, so it can be replied to, reacted on or updated. */
export interface MessageRef {
  channelId: string;
  messageId: string;
  threadId?: string;
  /**
   * In a cluster, the opsroom gateway whose platform connection carries the message (its node id), so an answer
   * from a worker goes back through it; absent in a single process. Adapters ignore it.
   */
  via?: string;
}

export function toOutbound(value: string | OutboundMessage): OutboundMessage {
  return typeof value === 'string' ? { text: value } : value;
}
