import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { Card } from '../../src/core/message.js';

/** Discord's embed limits. */
const EMBED = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/** Colour names as Teams' Adaptive Cards and common chat tools use them. */
const NAMED_COLORS: Record<string, number> = {
  good: 0x2eb67d, success: 0x2eb67d, green: 0x2eb67d,
  warning: 0xecb22e, yellow: 0xecb22e,
  attention: 0xe01e5a, danger: 0xe01e5a, error: 0xe01e5a, red: 0xe01e5a,
  accent: 0x36c5f0, info: 0x36c5f0, blue: 0x36c5f0,
};

/** Cuts text to `max` characters, marking the cut. */
export function clamp(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `#rgb`, `#rrggbb` (the `#` optional) or a colour name; undefined for anything else. */
export function parseColor(color: string | undefined): number | undefined {
  if (color === undefined) return undefined;
  const named = NAMED_COLORS[color.toLowerCase()];
  if (named !== undefined) return named;
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (hex === undefined) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return Number.parseInt(full, 16);
}

function isWebUrl(url: string | undefined): url is string {
  if (url === undefined) return false;
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

// Discord refuses an empty field name or value; a zero-width space keeps the field.
const blank = (text: string): string => (text.trim().length === 0 ? '\u200b' : text);

function fieldsOf(card: Card): APIEmbedField[] {
  return (card.fields ?? []).slice(0, EMBED.fields).map((f) => ({
    name: clamp(blank(f.name), EMBED.fieldName), value: clamp(blank(f.value), EMBED.fieldValue), inline: f.inline ?? false,
  }));
}

function lengthOf(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields;
}

/** A card as a Discord embed, every part cut to Discord's limits (the description gives way first). */
export function renderEmbed(card: Card): APIEmbed {
  const embed: APIEmbed = {};
  if (card.title) embed.title = clamp(card.title, EMBED.title);
  if (card.text) embed.description = clamp(card.text, EMBED.description);
  if (isWebUrl(card.url)) embed.url = card.url;
  const color = parseColor(card.color);
  if (color !== undefined) embed.color = color;
  const fields = fieldsOf(card);
  if (fields.length > 0) embed.fields = fields;
  if (card.footer) embed.footer = { text: clamp(card.footer, EMBED.footer) };
  const excess = lengthOf(embed) - EMBED.total;
  if (excess > 0 && embed.description) embed.description = clamp(embed.description, Math.max(1, embed.description.length - excess));
  while (lengthOf(embed) > EMBED.total && embed.fields?.length) embed.fields.pop();
  return embed;
}
