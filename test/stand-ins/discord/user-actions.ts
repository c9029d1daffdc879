import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType, ApplicationCommandType, ChannelType, ComponentType, GatewayDispatchEvents, InteractionContextType,
  InteractionType, Locale,
  type APIApplicationCommandInteractionDataBasicOption, type APIApplicationCommandOption, type APIBaseInteraction,
  type APIChatInputApplicationCommandInteractionData, type APIInteractionDataResolved, type APIMessageButtonInteractionData,
  type GatewayInteractionCreateDispatch, type GatewayInteractionCreateDispatchData,
} from 'discord-api-types/v10';
import { channelObject, knownUser, memberFields, messageObject } from './api-objects.js';
import { announceMessage, announceReaction } from './dispatches.js';
import type { StandInContext } from './rest-types.js';
import { nextSnowflake } from './snowflake.js';
import type { InteractionState, MessageState } from './stand-in-model.js';

export interface UserMessage {
  channelId: string;
  /** The author's user id. */
  author: string;
  content: string;
  /** Mentioned user ids; by default every `<@id>` in the content. */
  mentions?: string[];
  mentionRoles?: string[];
  /** Makes the message a reply to this one. */
  replyTo?: string;
  /** Sent through a webhook: no member, `webhook_id` set. */
  webhookId?: string;
}

export interface UserReaction {
  channelId: string;
  messageId: string;
  userId: string;
  emoji: string;
}

export interface ButtonPress {
  channelId: string;
  messageId: string;
  userId: string;
  /** The button's custom_id; the message's first button when absent. */
  customId?: string;
}

export type SlashOptions = Record<string, string | number | boolean> | APIApplicationCommandInteractionDataBasicOption[];

export interface SlashCommand {
  channelId: string;
  userId: string;
  name: string;
  subcommand?: string;
  /** Values by name (types from the registered command, else from the JS value), or typed options as Discord sends them. */
  options?: SlashOptions;
}

/** The token and id of a dispatched interaction, to find its answers among the calls. */
export interface InteractionHandle {
  id: string;
  token: string;
}

const ALL_PERMISSIONS = '2251799813685247';

function requireUser(ctx: StandInContext, userId: string): void {
  if (!ctx.model.users.has(userId)) throw new Error(`the stand-in world has no user ${userId}`);
}

/** A person posts a message: stored, then MESSAGE_CREATE. */
export function postUserMessage(ctx: StandInContext, input: UserMessage): MessageState {
  requireUser(ctx, input.author);
  if (!ctx.model.locate(input.channelId)) throw new Error(`the stand-in world has no channel ${input.channelId}`);
  const mentions = input.mentions ?? [...input.content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string);
  const replied = input.replyTo ? ctx.model.messageIn(input.channelId, input.replyTo) : undefined;
  if (input.replyTo && !replied) throw new Error(`message ${input.replyTo} is not in channel ${input.channelId}`);
  const message = ctx.model.addMessage({
    channelId: input.channelId, authorId: input.author, content: input.content, mentionUserIds: mentions,
    mentionRoleIds: input.mentionRoles ?? [], webhookId: input.webhookId,
    mentionEveryone: /@(everyone|here)\b/.test(input.content),
    ...(replied ? { reference: { type: 0, message_id: replied.id, channel_id: replied.channelId, ...(replied.guildId ? { guild_id: replied.guildId } : {}) } } : {}),
  });
  announceMessage(ctx, message);
  return message;
}

/** A person adds or takes back a reaction. */
export function userReaction(ctx: StandInContext, input: UserReaction, added: boolean): void {
  requireUser(ctx, input.userId);
  const message = ctx.model.messageIn(input.channelId, input.messageId);
  if (!message) throw new Error(`message ${input.messageId} is not in channel ${input.channelId}`);
  const changed = added ? ctx.model.react(message, input.emoji, input.userId) : ctx.model.unreact(message, input.emoji, input.userId);
  if (changed) announceReaction(ctx, message, input.emoji, input.userId, added);
}

type Base<T extends InteractionType, D> = APIBaseInteraction<T, D>;

/** The fields every INTERACTION_CREATE carries, for a user in a channel (member in guilds, user in DMs). */
function interactionBase(ctx: StandInContext, state: InteractionState): Omit<Base<InteractionType, unknown>, 'type' | 'data'> {
  const channel = channelObject(ctx.model, state.channelId);
  const guildId = state.guildId;
  const member = guildId ? ctx.model.guilds.get(guildId)?.members.get(state.userId) : undefined;
  const user = knownUser(ctx.model, state.userId);
  return {
    id: state.id, application_id: ctx.model.applicationId, token: state.token, version: 1, app_permissions: ALL_PERMISSIONS,
    locale: Locale.EnglishUS, entitlements: [], attachment_size_limit: 10_485_760,
    authorizing_integration_owners: { [0]: guildId ?? '0' },
    context: guildId ? InteractionContextType.Guild : InteractionContextType.BotDM,
    channel: { id: state.channelId, type: channel?.type ?? ChannelType.DM, ...(guildId ? { guild_id: guildId } : {}) },
    channel_id: state.channelId,
    ...(guildId ? { guild_id: guildId, guild_locale: Locale.EnglishUS, guild: { id: guildId, locale: Locale.EnglishUS, features: [] } } : {}),
    ...(member ? { member: { ...memberFields(member), user, permissions: ALL_PERMISSIONS } } : { user }),
  };
}

function newInteraction(ctx: StandInContext, type: InteractionType, channelId: string, userId: string, source?: string): InteractionState {
  requireUser(ctx, userId);
  if (!ctx.model.locate(channelId)) throw new Error(`the stand-in world has no channel ${channelId}`);
  const id = nextSnowflake();
  const state: InteractionState = {
    id, token: `stand-in.${randomBytes(24).toString('base64url')}`, type, channelId, guildId: ctx.model.guildIdOf(channelId), userId,
    createdAt: Date.now(), answeredWith: undefined, originalMessageId: source, sourceMessageId: source,
  };
  ctx.model.interactions.set(id, state);
  return state;
}

function announceInteraction(ctx: StandInContext, state: InteractionState, payload: Base<InteractionType, unknown>): InteractionHandle {
  ctx.dispatch<GatewayInteractionCreateDispatch>(GatewayDispatchEvents.InteractionCreate, payload as GatewayInteractionCreateDispatchData, state.guildId);
  return { id: state.id, token: state.token };
}

function buttonsOf(message: MessageState): string[] {
  const rows = message.components as Array<{ components?: Array<{ type: number; custom_id?: string }> }>;
  return rows.flatMap((row) => row.components ?? []).filter((c) => c.type === ComponentType.Button && c.custom_id).map((c) => c.custom_id as string);
}

/** A person presses a button of a message: INTERACTION_CREATE type 3 with the full message. */
export function pressButton(ctx: StandInContext, input: ButtonPress): InteractionHandle {
  const message = ctx.model.messageIn(input.channelId, input.messageId);
  if (!message) throw new Error(`message ${input.messageId} is not in channel ${input.channelId}`);
  const buttons = buttonsOf(message);
  const customId = input.customId ?? buttons[0];
  if (customId === undefined || !buttons.includes(customId)) {
    throw new Error(`message ${message.id} has no button ${JSON.stringify(customId)} (its buttons: ${JSON.stringify(buttons)})`);
  }
  const state = newInteraction(ctx, InteractionType.MessageComponent, input.channelId, input.userId, message.id);
  const data: APIMessageButtonInteractionData = { component_type: ComponentType.Button, custom_id: customId };
  const payload: Base<InteractionType.MessageComponent, APIMessageButtonInteractionData> = {
    ...interactionBase(ctx, state), type: InteractionType.MessageComponent, data, message: messageObject(ctx.model, message, ctx.baseUrl()),
  };
  return announceInteraction(ctx, state, payload);
}

function declaredOptions(ctx: StandInContext, input: SlashCommand, guildId: string | undefined): { id: string; options: APIApplicationCommandOption[] } {
  const command = ctx.model.findCommand(input.name, guildId);
  const top = command?.options ?? [];
  const sub = input.subcommand ? top.find((o) => o.name === input.subcommand && o.type === ApplicationCommandOptionType.Subcommand) : undefined;
  const options = sub && 'options' in sub ? sub.options ?? [] : top;
  return { id: command?.id ?? nextSnowflake(), options };
}

function typeOf(value: string | number | boolean, declared: APIApplicationCommandOption | undefined): ApplicationCommandOptionType {
  if (declared) return declared.type;
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  return ApplicationCommandOptionType.String;
}

function typedOptions(options: SlashOptions | undefined, declared: APIApplicationCommandOption[]): APIApplicationCommandInteractionDataBasicOption[] {
  if (Array.isArray(options)) return options;
  return Object.entries(options ?? {}).map(([name, value]) => (
    { name, type: typeOf(value, declared.find((d) => d.name === name)), value } as APIApplicationCommandInteractionDataBasicOption));
}

function resolvedOf(ctx: StandInContext, options: APIApplicationCommandInteractionDataBasicOption[], guildId: string | undefined): APIInteractionDataResolved | undefined {
  const resolved: APIInteractionDataResolved = {};
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.User) {
      resolved.users = { ...resolved.users, [option.value]: knownUser(ctx.model, option.value) };
      const member = guildId ? ctx.model.guilds.get(guildId)?.members.get(option.value) : undefined;
      if (member) resolved.members = { ...resolved.members, [option.value]: { ...memberFields(member), permissions: ALL_PERMISSIONS } };
    } else if (option.type === ApplicationCommandOptionType.Channel) {
      const channel = channelObject(ctx.model, option.value) as unknown as { id: string; type: ChannelType; name?: string | null };
      if (channel) resolved.channels = { ...resolved.channels, [option.value]: { id: channel.id, type: channel.type, name: channel.name ?? null, permissions: ALL_PERMISSIONS } as never };
    }
  }
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

/** A person runs a slash command: INTERACTION_CREATE type 2 with typed options (and `resolved` for users and channels). */
export function slashCommand(ctx: StandInContext, input: SlashCommand): InteractionHandle {
  const state = newInteraction(ctx, InteractionType.ApplicationCommand, input.channelId, input.userId);
  const declared = declaredOptions(ctx, input, state.guildId);
  const values = typedOptions(input.options, declared.options);
  const options = input.subcommand ? [{ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand as const, options: values }] : values;
  const resolved = resolvedOf(ctx, values, state.guildId);
  const data: APIChatInputApplicationCommandInteractionData = {
    id: declared.id, name: input.name, type: ApplicationCommandType.ChatInput, options,
    ...(resolved ? { resolved } : {}), ...(state.guildId ? { guild_id: state.guildId } : {}),
  };
  const payload: Base<InteractionType.ApplicationCommand, APIChatInputApplicationCommandInteractionData> = {
    ...interactionBase(ctx, state), type: InteractionType.ApplicationCommand, data,
  };
  return announceInteraction(ctx, state, payload);
}
