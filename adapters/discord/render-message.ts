import {
  ButtonStyle, ComponentType,
  type APIActionRowComponent, type APIAllowedMentions, type APIButtonComponentWithCustomId, type APIEmbed,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import type { RawFile } from 'discord.js';
import { OpsroomError } from '../../src/core/errors.js';
import {
  attachmentBytes, fileSize, safeFileName, withFileNotes, type MessageAttachment, type MessageButton, type OutboundMessage,
} from '../../src/core/message.js';
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

/** The message's attachments as uploads, ten at most; the rest, and any too large, are named in a note. */
function uploadsOf(attachments: readonly MessageAttachment[] | undefined): Uploads {
  const uploads: Uploads = { files: [], notes: [] };
  (attachments ?? []).forEach((attachment, index) => {
    const name = safeFileName(attachment.name, index);
    const data = attachmentBytes(attachment);
    if (data.length > MAX_FILE_BYTES) {
      uploads.notes.push(`_${name} (${fileSize(data.length)}) is not attached: Discord takes files of at most ${fileSize(MAX_FILE_BYTES)} from a bot._`);
    } else if (uploads.files.length >= MAX_FILES) {
      uploads.notes.push(tooMany(name));
    } else {
      uploads.files.push({ name, data, contentType: attachment.contentType });
    }
  });
  return uploads;
}

function tooMany(name: string): string {
  return `_${name} is not attached: a Discord message holds at most ${MAX_FILES} files._`;
}

/** `attachments` of the body: one entry per uploaded file, its id the `n` of its `files[n]` part. */
function declared(files: readonly RawFile[]): Array<{ id: string; filename: string }> {
  return files.map((file, index) => ({ id: String(index), filename: file.name }));
}

/** A message laid out once: its text with the notes about files, split into chunks, and its uploads. */
interface Layout {
  text: string;
  chunks: string[];
  uploads: Uploads;
}

function layoutOf(message: OutboundMessage): Layout {
  const uploads = uploadsOf(message.attachments);
  const text = withFileNotes(message.text, uploads.notes);
  return { text, chunks: text.length === 0 ? [] : splitText(text), uploads };
}

/**
 * The whole answer as one message whose text travels as `answer.md`, first of its files; the message's own files
 * follow, one fewer when all ten were taken, and that one is named in the file's text.
 */
function asOneFile(message: OutboundMessage, { text, uploads }: Layout): MessagePart {
  const kept = uploads.files.slice(0, MAX_FILES - 1);
  const answer = withFileNotes(text, uploads.files.slice(MAX_FILES - 1).map((file) => tooMany(file.name)));
  const files: RawFile[] = [{ name: ATTACHMENT_NAME, data: Buffer.from(answer, 'utf8'), contentType: 'text/markdown; charset=utf-8' }, ...kept];
  return { body: { content: fileNotice(answer), ...extras(message), allowed_mentions: NO_MENTIONS, attachments: declared(files) }, files };
}

/**
 * An outbound message as Discord messages: markdown as is, split on lines past 2,000 characters, or attached as a
 * file when it would take more than five messages; card, buttons and the message's files (a report's chart) on the
 * last message; no mentions ever.
 */
export function renderMessage(message: OutboundMessage): MessagePart[] {
  assertNotEmpty(message);
  return partsOf(message, layoutOf(message));
}

function assertNotEmpty(message: OutboundMessage): void {
  if (message.text.length === 0 && !message.card && !message.buttons?.length && !message.attachments?.length) {
    throw new OpsroomError('E_INTERNAL', 'an empty message (no text, card, buttons or files) cannot be sent to Discord');
  }
}

function partsOf(message: OutboundMessage, layout: Layout): MessagePart[] {
  const { chunks, uploads } = layout;
  if (chunks.length > MAX_PARTS) return [asOneFile(message, layout)];
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
  assertNotEmpty(message);
  const layout = layoutOf(message);
  const parts = partsOf(message, layout);
  const [part] = parts.length === 1 ? parts as [MessagePart] : [asOneFile(message, layout)];
  return { body: { content: '', embeds: [], components: [], attachments: [], ...part.body }, files: part.files };
}
