import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalChatFile } from '../../src/core/local-chat-hub.js';
import type { MessageAttachment, OutboundMessage } from '../../src/core/message.js';

/** Where the local platform keeps the files it was sent, unless the adapter is told otherwise. */
export const DEFAULT_ATTACHMENTS_DIR = join(tmpdir(), 'opsroom-attachments');

/** One attachment after saving: what the web page may know, and what only the host knows. */
export interface SavedAttachment {
  file: LocalChatFile;
  /** Where the bytes are; undefined when they could not be saved. Never leaves the host. */
  path: string | undefined;
  /** The terminal's line for it: `📎 name (type, size): path`, or why it could not be saved. */
  note: string;
}

/** A message whose attachments were saved: the message without them, and the saved files in their order. */
export interface SavedMessage {
  message: OutboundMessage;
  saved: SavedAttachment[];
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * The terminal cannot show a picture and the web page gets JSON, so the local platform saves each attachment as a
 * file: the terminal shows where it is, the web page fetches it from the console by message id and index.
 */
export function saveAttachments(message: OutboundMessage, messageId: string, dir: string): SavedMessage {
  const { attachments, ...rest } = message;
  if (!attachments || attachments.length === 0) return { message, saved: [] };
  return { message: rest, saved: attachments.map((attachment, index) => saveOne(attachment, index, messageId, dir)) };
}

function saveOne(attachment: MessageAttachment, index: number, messageId: string, dir: string): SavedAttachment {
  const { name, contentType } = attachment;
  const file: LocalChatFile = { index, name, contentType, size: attachment.data.byteLength };
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || `attachment-${index + 1}`;
  const path = join(dir, `${messageId}-${safe}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, attachment.data, { mode: 0o600 });
    return { file, path, note: `📎 ${name} (${contentType}, ${size(file.size)}): ${path}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    // The page learns why without the host's folder; the terminal, at the host, gets the folder too.
    return { file: { ...file, problem: `opsroom could not save it on its host (${code})` }, path: undefined, note: `📎 ${name} could not be saved to ${dir}: ${code}` };
  }
}

/** The message as the terminal prints it: its text, then one 📎 line per file. */
export function withFileNotes({ message, saved }: SavedMessage): OutboundMessage {
  return saved.length === 0 ? message : { ...message, text: [message.text, ...saved.map((s) => s.note)].join('\n') };
}
