import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { saveAttachments, withFileNotes } from '../../../adapters/local/attachment-files.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-attach-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('saveAttachments', () => {
  it('saves each file under a safe name, and keeps where apart from the message the web page gets', () => {
    const dir = tempDir();
    const saved = saveAttachments({ text: 'report', card: { title: 'c' }, attachments: [{ name: '../deploys chart.png', contentType: 'image/png', data: Buffer.from('PNGDATA') }] }, 'x-m4', dir);
    const path = join(dir, 'x-m4-_deploys_chart.png');
    expect(saved.message).toEqual({ text: 'report', card: { title: 'c' } });
    expect(saved.saved).toEqual([{
      file: { index: 0, name: '../deploys chart.png', contentType: 'image/png', size: 7 }, path,
      note: `📎 ../deploys chart.png (image/png, 7 B): ${path}`,
    }]);
    expect(readFileSync(path, 'utf8')).toBe('PNGDATA');
  });

  it('gives the terminal the text with one 📎 line per file, saying where it is', () => {
    const dir = tempDir();
    const saved = saveAttachments({ text: 'report', attachments: [{ name: 'a.png', contentType: 'image/png', data: Buffer.alloc(2048) }] }, 'x-m5', dir);
    expect(withFileNotes(saved)).toEqual({ text: `report\n📎 a.png (image/png, 2.0 KiB): ${join(dir, 'x-m5-a.png')}` });
  });

  it('tells the terminal the folder it could not write to, and the page only why', () => {
    // A file where the folder should be: no one, not even root, can make a folder inside it.
    const blocked = join(tempDir(), 'not-a-folder');
    writeFileSync(blocked, '');
    const saved = saveAttachments({ text: 'report', attachments: [{ name: 'a.png', contentType: 'image/png', data: Buffer.from('x') }] }, 'x-m6', join(blocked, 'sub'));
    const [one] = saved.saved;
    expect(one?.path).toBeUndefined();
    expect(one?.note).toBe(`📎 a.png could not be saved to ${join(blocked, 'sub')}: ENOTDIR`);
    expect(one?.file).toEqual({ index: 0, name: 'a.png', contentType: 'image/png', size: 1, problem: 'opsroom could not save it on its host (ENOTDIR)' });
  });

  it('returns a message without attachments unchanged', () => {
    const message = { text: 'plain' };
    const saved = saveAttachments(message, 'm1', '/nonexistent');
    expect(saved.message).toBe(message);
    expect(withFileNotes(saved)).toBe(message);
  });
});
