import type { OutboundMessage } from '../../src/core/message.js';

/** A platform-neutral message as terminal text: markdown stays readable, cards become indented lines. */
export function renderText(message: OutboundMessage): string {
  const lines = [message.text];
  const { card } = message;
  if (card) {
    if (card.title) lines.push(`  ┌ ${card.title}`);
    if (card.text) lines.push(...card.text.split('\n').map((l) => `  │ ${l}`));
    for (const field of card.fields ?? []) lines.push(`  │ ${field.name}: ${field.value}`);
    if (card.url) lines.push(`  │ ${card.url}`);
    if (card.footer) lines.push(`  └ ${card.footer}`);
  }
  if (message.buttons?.length) lines.push(`  ${message.buttons.map((b) => `[${b.label}]`).join(' ')}`);
  if (message.reactions?.length) lines.push(`  react with: ${message.reactions.join(' ')}`);
  return lines.filter((l) => l.length > 0).join('\n');
}
