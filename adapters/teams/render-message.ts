import { UserError } from '../../src/core/errors.js';
import { withFileNotes, type OutboundMessage } from '../../src/core/message.js';
import { ADAPTIVE_CARD_TYPE, renderAdaptiveCard, type AdaptiveCard } from './adaptive-card.js';
import { inlineImages, type InlineImage } from './inline-images.js';
import { splitText } from './split-text.js';

/**
 * Teams refuses messages over about 28 KB of activity JSON; text is split well below that so the envelope,
 * JSON escaping and a card fit too.
 */
export const MESSAGE_TEXT_LIMIT = 24_000;
const MIN_TEXT_BESIDE_CARD = 1_024;

/** An Adaptive Card as an activity attachment. */
export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_TYPE;
  content: AdaptiveCard;
}

/** What a rendered message carries: at most one Adaptive Card, first, then inline images. */
export type RenderedAttachment = CardAttachment | InlineImage;

/** One message activity's content, ready for the connector. */
export interface RenderedMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown';
  attachments?: RenderedAttachment[];
}

function plain(text: string): RenderedMessage {
  return { type: 'message', text, textFormat: 'markdown' };
}

function withCard(card: AdaptiveCard): RenderedMessage {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD_TYPE, content: card }] };
}

function isCard(attachment: RenderedAttachment): attachment is CardAttachment {
  return attachment.contentType === ADAPTIVE_CARD_TYPE;
}

/** The Adaptive Card a rendered message shows, or one showing its text. */
export function cardOf(rendered: RenderedMessage): AdaptiveCard {
  return rendered.attachments?.find(isCard)?.content ?? renderAdaptiveCard(rendered.text ?? '', undefined, undefined);
}

/**
 * The images go on the last message, after its card: that is the one an update replaces, so a replaced report
 * keeps its chart, and the one a split answer ends with, so the chart follows the text it illustrates.
 */
function withImages(parts: RenderedMessage[], images: readonly InlineImage[]): RenderedMessage[] {
  const last = parts.at(-1);
  if (images.length === 0 || !last) return parts;
  return [...parts.slice(0, -1), { ...withoutEmptyText(last), attachments: [...(last.attachments ?? []), ...images] }];
}

/** A message of images alone carries no empty text, which would show as a blank line above them. */
function withoutEmptyText(part: RenderedMessage): RenderedMessage {
  if (part.text) return part;
  const { text: _text, textFormat: _format, ...rest } = part;
  return rest;
}

/**
 * An outbound message as one or more Teams messages. Text alone is markdown; with a card or buttons the message
 * is one Adaptive Card holding the text too, so replacing the card (an update, an invoke response) replaces it
 * all. Text too long for one message is split on line boundaries into messages sent in order before the card.
 * Image attachments (a report's chart) are shown inline on the last message; any other file, or an image too
 * large for Teams, is named in a note at the end of the text instead.
 */
export function renderMessage(message: OutboundMessage): RenderedMessage[] {
  const { images, notes } = inlineImages(message.attachments);
  // Markdown in Teams joins lines that are not a paragraph apart.
  const text = withFileNotes(message.text, notes, '\n\n');
  return withImages(renderText({ ...message, text }), images);
}

/** The text, card and buttons of a message, without its attachments. */
function renderText(message: OutboundMessage): RenderedMessage[] {
  const hasCard = message.card !== undefined || (message.buttons?.length ?? 0) > 0;
  if (!hasCard) return splitText(message.text, MESSAGE_TEXT_LIMIT).map(plain);
  const bare = renderAdaptiveCard('', message.card, message.buttons);
  const cardBytes = Buffer.byteLength(JSON.stringify(bare));
  if (cardBytes > MESSAGE_TEXT_LIMIT) {
    throw new UserError('E_UNSUPPORTED', `the card is ${cardBytes} bytes; a Teams message carries at most ${MESSAGE_TEXT_LIMIT}`, {
      hint: 'Shorten the card fields, or send the details as text.',
    });
  }
  if (message.text.length === 0) return [withCard(bare)];
  const room = MESSAGE_TEXT_LIMIT - cardBytes;
  if (room < MIN_TEXT_BESIDE_CARD) return [...splitText(message.text, MESSAGE_TEXT_LIMIT).map(plain), withCard(bare)];
  const chunks = splitText(message.text, room);
  const last = chunks.pop() ?? '';
  return [...chunks.map(plain), withCard(renderAdaptiveCard(last, message.card, message.buttons))];
}
