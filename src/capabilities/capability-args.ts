import { UserError } from '../core/errors.js';
import type { Card, OutboundMessage } from '../core/message.js';

/** Arguments out of the sandbox are plain data already; here they are checked for the shape each method needs. */
export function expectString(value: unknown, what: string, max = 4096): string {
  if (typeof value !== 'string') throw new UserError('E_BAD_ARGS', `${what} must be a string (got ${typeof value})`);
  if (value.length > max) throw new UserError('E_BAD_ARGS', `${what} is longer than ${max} characters`);
  return value;
}

export function expectRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError('E_BAD_ARGS', `${what} must be an object`);
  return value as Record<string, unknown>;
}

const MAX_TEXT = 100_000;

/** `ctx.reply`/`ctx.post` take markdown text or `{ text, card?, ephemeral? }`. */
export function toMessage(value: unknown, what: string): OutboundMessage {
  if (typeof value === 'string') return { text: expectString(value, what, MAX_TEXT) };
  const record = expectRecord(value, what);
  const text = record.text === undefined ? '' : expectString(record.text, `${what}.text`, MAX_TEXT);
  const message: OutboundMessage = { text };
  if (record.card !== undefined) message.card = toCard(record.card, `${what}.card`);
  if (record.ephemeral !== undefined) message.ephemeral = record.ephemeral === true;
  if (message.text.length === 0 && !message.card) throw new UserError('E_BAD_ARGS', `${what} needs text or a card`);
  return message;
}

function toCard(value: unknown, what: string): Card {
  const record = expectRecord(value, what);
  const card: Card = {};
  for (const key of ['title', 'text', 'url', 'color', 'footer'] as const) {
    if (record[key] !== undefined) card[key] = expectString(record[key], `${what}.${key}`, key === 'text' ? MAX_TEXT : 2048);
  }
  if (record.fields !== undefined) {
    if (!Array.isArray(record.fields) || record.fields.length > 25) throw new UserError('E_BAD_ARGS', `${what}.fields must be a list of at most 25 fields`);
    card.fields = record.fields.map((field, i) => {
      const f = expectRecord(field, `${what}.fields[${i}]`);
      return { name: expectString(f.name, `${what}.fields[${i}].name`, 256), value: expectString(f.value, `${what}.fields[${i}].value`, 2048), inline: f.inline === true };
    });
  }
  return card;
}
