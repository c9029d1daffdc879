import { describe, expect, it } from 'vitest';
import { isLong, parseInline, parseMarkdown } from '../../../web/src/markdown.js';

describe('chat markdown', () => {
  it('parses fenced code, lists, quotes and paragraphs with line breaks', () => {
    expect(parseMarkdown('Restarted web:\n```\nline 1\nline 2\n```\n- one\n- **two**\n> quoted\nafter')).toEqual([
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Restarted web:' }] },
      { kind: 'code', lang: '', text: 'line 1\nline 2' },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'strong', children: [{ kind: 'text', text: 'two' }] }]] },
      { kind: 'quote', inlines: [{ kind: 'text', text: 'quoted' }] },
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'after' }] },
    ]);
    expect(parseMarkdown('a\nb')).toEqual([{ kind: 'paragraph', inlines: [{ kind: 'text', text: 'a' }, { kind: 'br' }, { kind: 'text', text: 'b' }] }]);
    expect(parseMarkdown('```js\nunclosed')).toEqual([{ kind: 'code', lang: 'js', text: 'unclosed' }]);
  });

  it('parses inline code, emphasis and links, leaving snake_case and lone markers alone', () => {
    expect(parseInline('run `restart web` *now* ~~later~~')).toEqual([
      { kind: 'text', text: 'run ' }, { kind: 'code', text: 'restart web' }, { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'now' }] }, { kind: 'text', text: ' ' }, { kind: 'del', children: [{ kind: 'text', text: 'later' }] },
    ]);
    expect(parseInline('GITHUB_TOKEN and my_var_name, 2 * 3 * 4')).toEqual([{ kind: 'text', text: 'GITHUB_TOKEN and my_var_name, 2 * 3 * 4' }]);
    expect(parseInline('[the run](https://ci.example/run/1) at https://ci.example/x.')).toEqual([
      { kind: 'link', href: 'https://ci.example/run/1', children: [{ kind: 'text', text: 'the run' }] },
      { kind: 'text', text: ' at ' },
      { kind: 'link', href: 'https://ci.example/x', children: [{ kind: 'text', text: 'https://ci.example/x' }] },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never makes a link of anything but http and https', () => {
    const nodes = parseInline('[click](javascript:alert(1)) <script>x</script>');
    expect(nodes.every((n) => n.kind === 'text')).toBe(true);
  });

  it('calls an output long by lines or by length', () => {
    expect(isLong('short')).toBe(false);
    expect(isLong(Array.from({ length: 15 }, (_, i) => `line ${i}`).join('\n'))).toBe(true);
    expect(isLong('x'.repeat(1801))).toBe(true);
  });
});
