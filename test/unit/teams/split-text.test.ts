import { describe, expect, it } from 'vitest';
import { splitText } from '../../../adapters/teams/split-text.js';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('splitText', () => {
  it('leaves text within the limit alone', () => {
    expect(splitText('short\ntext', 1000)).toEqual(['short\ntext']);
  });

  it('splits on line boundaries and loses nothing', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`);
    const chunks = splitText(lines.join('\n'), 1000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(bytes(chunk)).toBeLessThanOrEqual(1000);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a line longer than the limit at code point boundaries', () => {
    const line = '€😀'.repeat(400);
    const chunks = splitText(line, 500);
    for (const chunk of chunks) expect(bytes(chunk)).toBeLessThanOrEqual(500);
    expect(chunks.join('')).toBe(line);
    expect(chunks.join('')).not.toContain('\uFFFD');
  });

  it('closes a code block at the end of a chunk and reopens it in the next', () => {
    const body = Array.from({ length: 100 }, (_, i) => `echo ${i}`);
    const text = ['Output:', '```sh', ...body, '```', 'done'].join('\n');
    const chunks = splitText(text, 400);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(bytes(chunk)).toBeLessThanOrEqual(400);
      expect((chunk.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(chunks.slice(1, -1).every((c) => c.startsWith('```sh\n'))).toBe(true);
    const content = chunks.join('\n').split('\n').filter((l) => !l.startsWith('```'));
    expect(content).toEqual(['Output:', ...body, 'done']);
  });
});
