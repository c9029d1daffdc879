import { open } from 'node:fs/promises';
import { UserError } from '../../src/core/errors.js';
import type { LocalChatFileContent } from '../../src/core/local-chat-hub.js';
import type { SavedAttachment } from './attachment-files.js';

const DEFAULT_LIMIT = 1000;

/**
 * Which files the local platform saved for which message, so the web console can fetch them by message id and index
 * and nothing else: no path from a request is ever used. Keeps the newest messages' files only.
 */
export class SavedFiles {
  private readonly byMessage = new Map<string, SavedAttachment[]>();

  constructor(private readonly shortId: (messageId: string) => string, private readonly limit = DEFAULT_LIMIT) {}

  /** Records a message's files, replacing what an earlier version of the message had. */
  remember(messageId: string, saved: readonly SavedAttachment[]): void {
    this.byMessage.delete(messageId);
    if (saved.length === 0) return;
    this.byMessage.set(messageId, [...saved]);
    // A Map iterates in insertion order: the first key is the oldest message.
    for (const old of this.byMessage.keys()) {
      if (this.byMessage.size <= this.limit) break;
      this.byMessage.delete(old);
    }
  }

  async open(messageId: string, index: number): Promise<LocalChatFileContent> {
    const saved = this.byMessage.get(messageId);
    const id = this.shortId(messageId);
    if (!saved) throw new UserError('E_NOT_FOUND', `message ${id} has no files in the recent conversation`);
    const one = saved[index];
    if (!one) throw new UserError('E_NOT_FOUND', `message ${id} has no file ${index} (its files are numbered 0 to ${saved.length - 1})`);
    const { file, path } = one;
    if (path === undefined) throw new UserError('E_NOT_FOUND', `${file.name} of message ${id} is not there: ${file.problem ?? 'it was not saved'}`);
    try {
      return await openSaved(path, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UserError('E_NOT_FOUND', `${file.name} of message ${id} is no longer on the opsroom host (${code}); its temporary folder may have been cleaned`);
    }
  }
}

async function openSaved(path: string, file: LocalChatFileContent['file']): Promise<LocalChatFileContent> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return { file: { ...file }, size, stream: handle.createReadStream() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
