import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { saveAttachments } from '../../../adapters/local/attachment-files.js';

describe('saveAttachments', () => {
  it('saves each file under a safe name and shows where, leaving the rest of the message as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-attach-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const shown = saveAttachments({ text: 'report', card: { title: 'c' }, attachments: [{ name: '../deploys chart.png', contentType: 'image/png', data: Buffer.from('PNGDATA') }] }, 'x-m4', dir);
    const path = join(dir, 'x-m4-_deploys_chart.png');
    expect(shown).toEqual({ text: `report\n📎 ../deploys chart.png (image/png, 7 B): ${path}`, card: { title: 'c' } });
    expect(readFileSync(path, 'utf8')).toBe('PNGDATA');
  });

  it('returns a message without attachments unchanged', () => {
    const message = { text: 'plain' };
    expect(saveAttachments(message, 'm1', '/nonexistent')).toBe(message);
  });
});
