import {
  ButtonStyle, ComponentType,
  type APIActionRowComponent, type APIAllowedMentions, type APIButtonComponentWithCustomId, type APIEmbed,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import type { RawFile } from 'discord.js';
import { OpsroomError } from '../../src/core/errors.js';
import type { MessageButton, OutboundMessage } from '../../src/core/message.js';
import { encodeButtonId } from './button-id.js';
import { clamp, renderEmbed } from './render-embed.js';
import { splitText } from './split-text.js';

/** More messages than this and the text goes out as a file instead. */
export const MAX_PARTS = 5;
export const ATTACHMENT_NAME = 'answer.md';
const BUTTONS_PER_ROW = 5;
const MAX_BUTTONS = 25;
const LABEL_LIMIT = 80;

/** Nothing opsroom sends may ping: not @everyone, not a role, not a user. */
export const NO_MENTIONS: APIAllowedMentions = Object.freeze({ parse: [] }) as APIAllowedMentions;

/** The body of one Discord message (channel message, interaction response, follow-up or edit). */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  allowed_mentions: APIAllowedMentions;
  attachments?: Array<{ id: string; filename: string }>;
  flags?: number;
}

/** One message to send: its body and the files that travel with it. */
export interface MessagePart {
  body: MessageBody;
  files: RawFile[];
}

const STYLES: Record<NonNullable<MessageButton['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger,
};

/** Buttons as action rows of five; their custom_id carries the button id and value. */
export function renderButtons(buttons: readonly MessageButton[]): Array<APIActionRowComponent<APIButtonComponentWithCustomId>> {
  if (buttons.length > MAX_BUTTONS) {
    throw new OpsroomError('E_INTERNAL', `a Discord message holds at most ${MAX_BUTTONS} buttons; this one has ${buttons.length}`);
  }
  const rows: Array<APIActionRowComponent<APIButtonComponentWithCustomId>> = [];
  buttons.forEach((button, index) => {
    if (index % BUTTONS_PER_ROW === 0) rows.push({ type: ComponentType.ActionRow, components: [] });
    rows[rows.length - 1]?.components.push({
      type: ComponentType.Button, style: STYLES[button.style ?? 'secondary'], custom_id: encodeButtonId(button.id, button.value),
      label: clamp(button.label.trim() || button.id, LABEL_LIMIT),
    });
  });
  return rows;
}

function fileNotice(text: string): string {
  return `The answer is ${text.length.toLocaleString('en-US')} characters long, so it is attached as ${ATTACHMENT_NAME}.`;
}

/** The card and buttons, which go on the last message of a split answer. */
function extras(message: OutboundMessage): Pick<MessageBody, 'embeds' | 'components'> {
  return {
    ...(message.card ? { embeds: [renderEmbed(message.card)] } : {}),
    ...(message.buttons?.length ? { components: renderButtons(message.buttons) } : {}),
  };
}

/**
 * An outbound message as Discord messages: markdown as is, split on lines past 2,000 characters, or attached as a
 * file when it would take more than five messages; card and buttons on the last message; no mentions ever.
 */
export function renderMessage(message: OutboundMessage): MessagePart[] {
  if (message.text.length === 0 && !message.card && !message.buttons?.length) {
    throw new OpsroomError('E_INTERNAL', 'an empty message (no text, card or buttons) cannot be sent to Discord');
  }
  const chunks = message.text.length === 0 ? [] : splitText(message.text);
  if (chunks.length > MAX_PARTS) {
    return [{
      body: { content: fileNotice(message.text), ...extras(message), allowed_mentions: NO_MENTIONS, attachments: [{ id: '0', filename: ATTACHMENT_NAME }] },
      files: [{ name: ATTACHMENT_NAME, data: Buffer.from(message.text, 'utf8'), contentType: 'text/markdown; charset=utf-8' }],
    }];
  }
  if (chunks.length === 0) return [{ body: { ...extras(message), allowed_mentions: NO_MENTIONS }, files: [] }];
  return chunks.map((content, index) => ({
    body: { content, ...(index === chunks.length - 1 ? extras(message) : {}), allowed_mentions: NO_MENTIONS },
    files: [],
  }));
}

/**
 * An edit replaces the message in place: one message only (longer text goes into a file), and card, buttons and
 * attachments are always stated, so what the earlier version had and this one has not is removed.
 */
export function renderEdit(message: OutboundMessage): MessagePart {
  const parts = renderMessage(message);
  if (parts.length === 1) {
    const [part] = parts as [MessagePart];
    return { body: { content: '', embeds: [], components: [], attachments: [], ...part.body }, files: part.files };
  }
  return {
    body: {
      content: fileNotice(message.text), embeds: [], components: [], ...extras(message), allowed_mentions: NO_MENTIONS,
      attachments: [{ id: '0', filename: ATTACHMENT_NAME }],
    },
    files: [{ name: ATTACHMENT_NAME, data: Buffer.from(message.text, 'utf8'), contentType: 'text/markdown; charset=utf-8' }],
  };
}
