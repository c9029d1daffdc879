import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../../adapters/discord/split-text.js';

describe('splitText', () => {
  it('keeps a text within the limit as one chunk', () => {
    expect(splitText('hello\nworld', 64)).toEqual(['hello\nworld']);
  });

  it('splits on line boundaries, so the chunks joined by newlines are the text', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(30));
    expect(splitText([a, b, c, d].join('\n'), 64)).toEqual([`${a}\n${b}`, `${c}\n${d}`]);
  });

  it('cuts a line longer than a chunk hard, dropping nothing and never halving a surrogate pair', () => {
    const line = '😀'.repeat(3000);
    const chunks = splitText(line, 2000);
    expect(chunks.join('')).toBe(line);
    expect(chunks.every((c) => c.length <= 2000 && !/^[\uDC00-\uDFFF]/.test(c) && !/[\uD800-\uDBFF]$/.test(c))).toBe(true);
  });

  it('keeps a line of exactly the limit whole', () => {
    const line = 'y'.repeat(2000);
    expect(splitText(`intro\n${line}\noutro`)).toEqual(['intro', line, 'outro']);
  });

  it('refuses a limit too small to leave room for code fences', () => {
    expect(() => splitText('x', 10)).toThrow(RangeError);
  });

  it('closes a code block at the end of a chunk and reopens it, with its language, in the next', () => {
    const body = Array.from({ length: 60 }, (_, i) => `log line ${i} ${'.'.repeat(40)}`);
    const chunks = splitText(['Output:', '```log', ...body, '```', 'done'].join('\n'), 2000);
    expect(chunks.length).toBe(2);
    expect(chunks[0]?.endsWith('\n```')).toBe(true);
    expect(chunks[1]?.startsWith('```log\n')).toBe(true);
    expect(chunks[1]?.endsWith('```\ndone')).toBe(true);
  });

  it('never makes a chunk over the limit and loses no character outside fence repairs', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 64, max: 400 }), (lines, limit) => {
      const text = lines.join('\n').replaceAll('`', "'");
      const chunks = splitText(text, limit);
      expect(chunks.every((c) => c.length <= limit)).toBe(true);
      expect(chunks.join('').replaceAll('\n', '')).toBe(text.replaceAll('\n', ''));
    }));
  });
});
