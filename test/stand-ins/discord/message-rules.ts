import type { APIEmbed } from 'discord-api-types/v10';
import type { RecordedFile } from './call-log.js';
import { nextSnowflake } from './snowflake.js';
import type { AttachmentState, MessageState, StandInModel } from './stand-in-model.js';

/** Discord's limits that the OpenAPI description does not state (or states more loosely). */
/** Discord's limits on a message; a bot without a boosted server uploads files of at most 10 MiB. */
export const LIMITS = { content: 2000, embedTotal: 6000, rows: 5, buttonsPerRow: 5, files: 10, fileBytes: 10 * 1024 * 1024 } as const;

/** The parts of a create/edit body the stand-in stores. */
export interface MessageFields {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  attachments?: AttachmentState[];
  flags?: number;
}

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** Reads a message body as Discord would, adding to `problems` whatever Discord would refuse. */
export function readMessageFields(body: Record<string, any>, files: RecordedFile[], problems: string[], creating: boolean): MessageFields {
  const fields: MessageFields = {};
  if (typeof body.content === 'string') fields.content = body.content;
  if (Array.isArray(body.embeds)) fields.embeds = body.embeds as APIEmbed[];
  if (Array.isArray(body.components)) fields.components = body.components as unknown[];
  if (typeof body.flags === 'number') fields.flags = body.flags;
  const attachments = readAttachments(body, files, problems);
  if (attachments) fields.attachments = attachments;
  if ((fields.content?.length ?? 0) > LIMITS.content) {
    problems.push(`content is ${fields.content?.length} characters; Discord allows ${LIMITS.content}`);
  }
  checkEmbeds(fields.embeds ?? [], problems);
  checkComponents(fields.components ?? [], problems);
  checkAllowedMentions(body.allowed_mentions as AllowedMentions | null | undefined, problems);
  if (creating && !fields.content && !fields.embeds?.length && !fields.components?.length && !fields.attachments?.length && !body.poll) {
    problems.push('Cannot send an empty message (no content, embed, component or file)');
  }
  return fields;
}

function readAttachments(body: Record<string, any>, files: RecordedFile[], problems: string[]): AttachmentState[] | undefined {
  if (files.length === 0 && !Array.isArray(body.attachments)) return undefined;
  const declared = Array.isArray(body.attachments) ? body.attachments as Array<{ id: string | number; filename?: string }> : [];
  for (const entry of declared) {
    const matching = files.some((f) => f.field === `files[${entry.id}]`);
    if (!matching) problems.push(`attachments[] names id ${entry.id}, but no part files[${entry.id}] was uploaded`);
  }
  if (files.length > LIMITS.files) problems.push(`${files.length} files in one message; Discord allows ${LIMITS.files}`);
  for (const file of files) {
    if (file.size > LIMITS.fileBytes) problems.push(`${file.filename} is ${file.size} bytes; Discord takes files up to ${LIMITS.fileBytes} bytes (Request entity too large)`);
  }
  return files.map((file) => ({
    id: nextSnowflake(), filename: declared.find((d) => file.field === `files[${d.id}]`)?.filename ?? file.filename,
    contentType: file.contentType, size: file.size, data: file.data, text: file.text,
  }));
}

function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0) + fields;
}

function checkEmbeds(embeds: APIEmbed[], problems: string[]): void {
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > LIMITS.embedTotal) problems.push(`embeds hold ${total} characters; Discord allows ${LIMITS.embedTotal} in all`);
}

function checkComponents(rows: unknown[], problems: string[]): void {
  if (rows.length > LIMITS.rows) problems.push(`${rows.length} action rows; Discord allows ${LIMITS.rows}`);
  const ids = new Set<string>();
  for (const row of rows as Array<{ type?: number; components?: Array<{ custom_id?: string }> }>) {
    if (row.type === 1 && (row.components?.length ?? 0) > LIMITS.buttonsPerRow) {
      problems.push(`an action row holds ${row.components?.length} buttons; Discord allows ${LIMITS.buttonsPerRow}`);
    }
    for (const component of row.components ?? []) {
      if (component.custom_id === undefined) continue;
      if (ids.has(component.custom_id)) problems.push(`custom_id ${JSON.stringify(component.custom_id)} is used twice in one message`);
      ids.add(component.custom_id);
    }
  }
}

function checkAllowedMentions(allowed: AllowedMentions | null | undefined, problems: string[]): void {
  if (!allowed) return;
  const parse = allowed.parse ?? [];
  if (parse.includes('users') && (allowed.users?.length ?? 0) > 0) problems.push('allowed_mentions: parse "users" and a users list are mutually exclusive');
  if (parse.includes('roles') && (allowed.roles?.length ?? 0) > 0) problems.push('allowed_mentions: parse "roles" and a roles list are mutually exclusive');
}

/**
 * Who a message actually pings, by Discord's rules: without `allowed_mentions` everything in the text and the
 * replied-to author; with it, only what it permits.
 */
export function resolveMentions(
  model: StandInModel, content: string, allowed: AllowedMentions | null | undefined, repliedTo: MessageState | undefined,
): Pick<MessageState, 'mentionEveryone' | 'mentionUserIds' | 'mentionRoleIds'> {
  const parse = allowed ? allowed.parse ?? [] : ['users', 'roles', 'everyone'];
  const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string);
  const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] as string);
  const users = new Set(userIds.filter((id) => parse.includes('users') || allowed?.users?.includes(id)));
  const repliedUser = allowed ? allowed.replied_user === true : true;
  if (repliedTo && repliedUser && repliedTo.authorId !== model.bot.id) users.add(repliedTo.authorId);
  return {
    mentionEveryone: parse.includes('everyone') && /@(everyone|here)\b/.test(content),
    mentionUserIds: [...users],
    mentionRoleIds: [...new Set(roleIds.filter((id) => parse.includes('roles') || allowed?.roles?.includes(id)))],
  };
}
