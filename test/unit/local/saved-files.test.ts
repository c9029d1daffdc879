import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SavedAttachment } from '../../../adapters/local/attachment-files.js';
import { SavedFiles } from '../../../adapters/local/saved-files.js';

function savedIn(dir: string, name: string): SavedAttachment {
  const path = join(dir, name);
  writeFileSync(path, name);
  return { file: { index: 0, name, contentType: 'image/png', size: name.length }, path, note: `📎 ${name}` };
}

describe('SavedFiles', () => {
  it('keeps the files of the newest messages only, so an old path cannot be served for ever', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-saved-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const files = new SavedFiles((id) => id, 2);
    for (const id of ['m1', 'm2', 'm3']) files.remember(id, [savedIn(dir, `${id}.png`)]);
    await expect(files.open('m1', 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'message m1 has no files in the recent conversation' });
    const newest = await files.open('m3', 0);
    newest.stream.destroy();
    expect(newest.file.name).toBe('m3.png');
  });

  it('says why a file that could not be saved cannot be opened', async () => {
    const files = new SavedFiles((id) => id);
    files.remember('m1', [{ file: { index: 0, name: 'a.png', contentType: 'image/png', size: 1, problem: 'opsroom could not save it on its host (EACCES)' }, path: undefined, note: '' }]);
    await expect(files.open('m1', 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'a.png of message m1 is not there: opsroom could not save it on its host (EACCES)' });
  });
});
