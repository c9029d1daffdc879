import type { ComponentChildren } from 'preact';
import { parseMarkdown, type Block, type Inline } from './markdown.js';

function inlines(nodes: Inline[]): ComponentChildren {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case 'text': return node.text;
      case 'br': return <br key={i} />;
      case 'code': return <code key={i}>{node.text}</code>;
      case 'strong': return <strong key={i}>{inlines(node.children)}</strong>;
      case 'em': return <em key={i}>{inlines(node.children)}</em>;
      case 'del': return <del key={i}>{inlines(node.children)}</del>;
      case 'link': return <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">{inlines(node.children)}</a>;
    }
  });
}

function block(node: Block, i: number) {
  switch (node.kind) {
    case 'code': return <pre key={i} class="code" data-lang={node.lang || undefined}><code>{node.text}</code></pre>;
    case 'paragraph': return <p key={i}>{inlines(node.inlines)}</p>;
    case 'quote': return <blockquote key={i}>{inlines(node.inlines)}</blockquote>;
    case 'list': {
      const items = node.items.map((item, j) => <li key={j}>{inlines(item)}</li>);
      return node.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
    }
  }
}

/** Chat markdown as elements; the text never becomes HTML. */
export function Markdown({ text }: { text: string }) {
  return <div class="md">{parseMarkdown(text).map(block)}</div>;
}
