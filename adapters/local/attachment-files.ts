import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutboundMessage } from '../../src/core/message.js';

/** Where the local platform keeps the files it was sent, unless the adapter is told otherwise. */
export const DEFAULT_ATTACHMENTS_DIR = join(tmpdir(), 'opsroom-attachments');

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * The terminal cannot show a picture and the web page gets JSON, so the local platform saves each attachment as a
 * file and shows where it is: the message keeps its text, with one `📎 name (size): path` line per file.
 */
export function saveAttachments(message: OutboundMessage, messageId: string, dir: string): OutboundMessage {
  const { attachments, ...rest } = message;
  if (!attachments || attachments.length === 0) return message;
  const notes = attachments.map((attachment, index) => {
    const safe = attachment.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || `attachment-${index + 1}`;
    const path = join(dir, `${messageId}-${safe}`);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, attachment.data, { mode: 0o600 });
      return `📎 ${attachment.name} (${attachment.contentType}, ${size(attachment.data.byteLength)}): ${path}`;
    } catch (error) {
      return `📎 ${attachment.name} could not be saved to ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
  });
  return { ...rest, text: [message.text, ...notes].join('\n') };
}
