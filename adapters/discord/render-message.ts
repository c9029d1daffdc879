import {
  ButtonStyle, ComponentType,
  type APIActionRowComponent, type APIAllowedMentions, type APIButtonComponentWithCustomId, type APIEmbed,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import type { RawFile } from 'discord.js';
import { OpsroomError } from '../../src/core/errors.js';
import { safeFileName, type MessageAttachment, type MessageButton, type OutboundMessage } from '../../src/core/message.js';
import { encodeButtonId } from './button-id.js';
import { clamp, renderEmbed } from './render-embed.js';
import { splitText } from './split-text.js';

/** More messages than this and the text goes out as a file instead. */
export const MAX_PARTS = 5;
export const ATTACHMENT_NAME = 'answer.md';
const BUTTONS_PER_ROW = 5;
const MAX_BUTTONS = 25;
const LABEL_LIMIT = 80;
/** Discord takes at most ten files on a message, each of at most 10 MiB from a bot on a server without boosts. */
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

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

/** The files of a message and the notes for those Discord cannot take, which go into the text rather than vanish. */
interface Uploads {
  files: RawFile[];
  notes: string[];
}

function kilobytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The message's attachments as uploads, `room` of them at most; the rest, and any too large, are named in a note. */
function uploadsOf(attachments: readonly MessageAttachment[] | undefined, room: number): Uploads {
  const uploads: Uploads = { files: [], notes: [] };
  (attachments ?? []).forEach((attachment, index) => {
    const name = safeFileName(attachment.name, index);
    const data = Buffer.from(attachment.data.buffer, attachment.data.byteOffset, attachment.data.byteLength);
    if (data.length > MAX_FILE_BYTES) {
      uploads.notes.push(`_${name} (${kilobytes(data.length)}) is not attached: Discord takes files of at most ${kilobytes(MAX_FILE_BYTES)} from a bot._`);
    } else if (uploads.files.length >= room) {
      uploads.notes.push(`_${name} is not attached: a Discord message holds at most ${MAX_FILES} files._`);
    } else {
      uploads.files.push({ name, data, contentType: attachment.contentType });
    }
  });
  return uploads;
}

/** `attachments` of the body: one entry per uploaded file, its id the `n` of its `files[n]` part. */
function declared(files: readonly RawFile[]): Array<{ id: string; filename: string }> {
  return files.map((file, index) => ({ id: String(index), filename: file.name }));
}

function withNotes(text: string, notes: readonly string[]): string {
  return notes.length === 0 ? text : [text, ...notes].filter((line) => line.length > 0).join('\n');
}

/**
 * An outbound message as Discord messages: markdown as is, split on lines past 2,000 characters, or attached as a
 * file when it would take more than five messages; card, buttons and the message's files (a report's chart) on the
 * last message; no mentions ever.
 */
export function renderMessage(message: OutboundMessage): MessagePart[] {
  const hasFiles = (message.attachments?.length ?? 0) > 0;
  if (message.text.length === 0 && !message.card && !message.buttons?.length && !hasFiles) {
    throw new OpsroomError('E_INTERNAL', 'an empty message (no text, card, buttons or files) cannot be sent to Discord');
  }
  const longText = splitText(message.text).length > MAX_PARTS;
  const uploads = uploadsOf(message.attachments, longText ? MAX_FILES - 1 : MAX_FILES);
  const text = withNotes(message.text, uploads.notes);
  const chunks = text.length === 0 ? [] : splitText(text);
  if (chunks.length > MAX_PARTS) {
    const files: RawFile[] = [{ name: ATTACHMENT_NAME, data: Buffer.from(text, 'utf8'), contentType: 'text/markdown; charset=utf-8' }, ...uploads.files];
    return [{
      body: { content: fileNotice(text), ...extras(message), allowed_mentions: NO_MENTIONS, attachments: declared(files) },
      files,
    }];
  }
  const last = (body: MessageBody): MessagePart => ({
    body: uploads.files.length > 0 ? { ...body, attachments: declared(uploads.files) } : body, files: uploads.files,
  });
  if (chunks.length === 0) return [last({ ...extras(message), allowed_mentions: NO_MENTIONS })];
  return chunks.map((content, index) => index === chunks.length - 1
    ? last({ content, ...extras(message), allowed_mentions: NO_MENTIONS })
    : { body: { content, allowed_mentions: NO_MENTIONS }, files: [] });
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
  const uploads = uploadsOf(message.attachments, MAX_FILES - 1);
  const text = withNotes(message.text, uploads.notes);
  const files: RawFile[] = [{ name: ATTACHMENT_NAME, data: Buffer.from(text, 'utf8'), contentType: 'text/markdown; charset=utf-8' }, ...uploads.files];
  return {
    body: {
      content: fileNotice(text), embeds: [], components: [], ...extras(message), allowed_mentions: NO_MENTIONS, attachments: declared(files),
    },
    files,
  };
}
