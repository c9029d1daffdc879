import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { messageObject } from './api-objects.js';
import { announceMessage } from './dispatches.js';
import { createBotMessage, editBotMessage } from './rest-message-routes.js';
import { RestError, unknownMessage, type RestRequest, type RestResponse, type RouteTable, type StandInContext } from './rest-types.js';
import type { InteractionState, MessageState } from './stand-in-model.js';

const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

function fail(request: RestRequest, error: RestError): never {
  request.problems.push(error.message);
  throw error;
}

/** The interaction a callback names; Discord refuses unknown, late and repeated first answers. */
function openInteraction(ctx: StandInContext, request: RestRequest): InteractionState {
  const { interaction_id: id, interaction_token: token } = request.params as Record<string, string>;
  const interaction = ctx.model.interactions.get(id as string);
  if (!interaction || interaction.token !== token) fail(request, new RestError(404, 10062, 'Unknown interaction', true));
  if (interaction.answeredWith !== undefined) fail(request, new RestError(400, 40060, 'Interaction has already been acknowledged.', true));
  const age = request.receivedAt - interaction.createdAt;
  if (age > ctx.interactionWindowMs) {
    fail(request, new RestError(404, 10062, `Unknown interaction: answered ${age} ms after it was created; Discord allows ${ctx.interactionWindowMs} ms`, true));
  }
  return interaction;
}

/** The interaction behind a webhook follow-up route (`/webhooks/{application_id}/{token}`). */
function tokenInteraction(ctx: StandInContext, request: RestRequest): InteractionState {
  const { webhook_id: webhookId, webhook_token: token } = request.params as Record<string, string>;
  const interaction = ctx.model.interactionByToken(token as string);
  if (webhookId !== ctx.model.applicationId || !interaction) fail(request, new RestError(404, 10015, 'Unknown Webhook', true));
  if (request.receivedAt - interaction.createdAt > ctx.interactionTokenMs) fail(request, new RestError(401, 50027, 'Invalid Webhook Token', true));
  if (interaction.answeredWith === undefined) {
    fail(request, new RestError(404, 10015, 'Unknown Webhook: the interaction was never acknowledged, so it has no follow-ups', true));
  }
  return interaction;
}

function answer(ctx: StandInContext, request: RestRequest, interaction: InteractionState): MessageState | undefined {
  const type = request.body?.type as number;
  const data: RestRequest = { ...request, body: request.body?.data ?? {} };
  const component = interaction.type === InteractionType.MessageComponent;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource:
      return createBotMessage(ctx, data, interaction.channelId, { interactionId: interaction.id, webhookId: ctx.model.applicationId });
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = LOADING | ((data.body.flags ?? 0) & EPHEMERAL);
      const message = ctx.model.addMessage({ channelId: interaction.channelId, authorId: ctx.model.bot.id, flags, interactionId: interaction.id, webhookId: ctx.model.applicationId });
      announceMessage(ctx, message);
      return message;
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      if (!component) fail(request, new RestError(400, 50035, `callback type ${type} only answers component interactions`, true));
      const source = ctx.model.messages.get(interaction.sourceMessageId as string);
      if (!source) throw unknownMessage();
      return type === InteractionResponseType.UpdateMessage ? editBotMessage(ctx, data, source) : source;
    }
    case InteractionResponseType.Modal:
      return undefined;
    default:
      return fail(request, new RestError(400, 50035, `callback type ${String(type)} cannot answer an interaction of type ${interaction.type}`, true));
  }
}

function callback(ctx: StandInContext, request: RestRequest): RestResponse {
  const interaction = openInteraction(ctx, request);
  const message = answer(ctx, request, interaction);
  interaction.answeredWith = request.body.type as number;
  if (message && interaction.type !== InteractionType.MessageComponent) interaction.originalMessageId = message.id;
  if (request.query.get('with_response') !== 'true') return { status: 204 };
  if (!message) return { status: 200, body: { interaction: { id: interaction.id, type: interaction.type }, resource: { type: interaction.answeredWith } } };
  const json = messageObject(ctx.model, message, ctx.baseUrl());
  const facts = {
    response_message_id: json.id, response_message_loading: (message.flags & LOADING) !== 0, response_message_ephemeral: (message.flags & EPHEMERAL) !== 0,
  };
  return {
    status: 200,
    body: { interaction: { id: interaction.id, type: interaction.type, ...facts }, resource: { type: interaction.answeredWith, message: json } },
  };
}

function followUpMessage(ctx: StandInContext, request: RestRequest, interaction: InteractionState): MessageState {
  const id = request.params.message_id;
  const messageId = id === undefined || id === '@original' ? interaction.originalMessageId : id;
  const message = messageId ? ctx.model.messages.get(messageId) : undefined;
  if (!message || (message.interactionId !== interaction.id && message.id !== interaction.originalMessageId)) {
    fail(request, new RestError(404, 10008, `Unknown Message: interaction ${interaction.id} has no message ${id ?? '@original'}`, true));
  }
  return message;
}

/** Interaction callbacks and the webhook routes of follow-ups. */
export function interactionRoutes(ctx: StandInContext): RouteTable {
  const json = (message: MessageState): RestResponse => ({ status: 200, body: messageObject(ctx.model, message, ctx.baseUrl()) });
  const edit = (request: RestRequest): RestResponse => {
    const interaction = tokenInteraction(ctx, request);
    return json(editBotMessage(ctx, request, followUpMessage(ctx, request, interaction)));
  };
  const read = (request: RestRequest): RestResponse => json(followUpMessage(ctx, request, tokenInteraction(ctx, request)));
  const remove = (request: RestRequest): RestResponse => {
    ctx.model.messages.delete(followUpMessage(ctx, request, tokenInteraction(ctx, request)).id);
    return { status: 204 };
  };
  return {
    'POST /interactions/{interaction_id}/{interaction_token}/callback': (request) => callback(ctx, request),
    'POST /webhooks/{webhook_id}/{webhook_token}': (request) => {
      const interaction = tokenInteraction(ctx, request);
      return json(createBotMessage(ctx, request, interaction.channelId, { interactionId: interaction.id, webhookId: ctx.model.applicationId }));
    },
    'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original': edit,
    'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': edit,
    'GET /webhooks/{webhook_id}/{webhook_token}/messages/@original': read,
    'GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': read,
    'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original': remove,
    'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': remove,
  };
}
