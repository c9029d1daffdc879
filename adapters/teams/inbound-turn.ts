import type { TurnContext } from 'botbuilder';
import type { RefusedEvent } from '../../src/core/chat-adapter.js';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import { ADAPTIVE_CARD_TYPE } from './adaptive-card.js';
import type { BotConnection } from './bot-connection.js';
import { qualifiedConversation, splitConversationId } from './conversation-id.js';
import type { ConversationReferences } from './conversation-references.js';
import type { EventDispatcher } from './event-dispatcher.js';
import { InvokeCapture } from './invoke-capture.js';
import type { InvokeAnswer, InvokeMemory } from './invoke-memory.js';
import type { MemberResolver } from './mentions.js';
import { actorOf, EXECUTE_INVOKE, executeInvokeEvent, normalizeActivity } from './normalize-activity.js';
import { cardOf, renderMessage } from './render-message.js';
import { tenantOf, type TeamsAccount, type TeamsActivity } from './teams-activity.js';

export interface InboundDeps {
  connection: () => BotConnection;
  references: ConversationReferences;
  dispatcher: EventDispatcher;
  invokes: InvokeMemory;
  allowedTenants: () => readonly string[];
  /** Told about each authenticated activity that is not delivered because its tenant is not allowed. */
  refused: (refusal: RefusedEvent) => void;
  invokeTimeoutMs: number;
  clock: Clock;
  logger: Logger;
}

const ACKNOWLEDGEMENT: InvokeAnswer = {
  status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Received.' },
};

function invokeError(message: string): InvokeAnswer {
  return { status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message } } };
}

async function answerInvoke(context: TurnContext, answer: InvokeAnswer): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: answer });
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** One authenticated activity, inside botbuilder's turn: tenant check, reference capture, normalization, delivery. */
export class InboundTurns {
  private readonly memberIds = new Map<string, string>();

  constructor(private readonly deps: InboundDeps) {}

  async handle(context: TurnContext): Promise<void> {
    const activity = context.activity as unknown as TeamsActivity;
    const logger = this.deps.logger.child({ activityId: activity.id, activityType: activity.type });
    const tenantId = tenantOf(activity);
    if (!this.tenantAllowed(tenantId)) {
      logger.info({ tenantId: tenantId ?? null }, 'ignored a Teams activity from a tenant that is not in allowedTenants');
      this.deps.refused(tenantRefusal(activity, tenantId));
      if (activity.type === 'invoke') await answerInvoke(context, { status: 200 });
      return;
    }
    this.trackReference(activity, logger);
    if (activity.type === 'invoke' && activity.name === EXECUTE_INVOKE) {
      await answerInvoke(context, await this.execute(activity, logger));
      return;
    }
    const resolve: MemberResolver = (member) => this.resolveMember(context, activity, member, logger);
    const events = await normalizeActivity(activity, this.deps.clock.now(), resolve);
    if (activity.type === 'invoke') await answerInvoke(context, events.length > 0 ? { status: 200 } : { status: 501 });
    if (events.length === 0) logger.debug('nothing to deliver from this activity');
    this.deps.dispatcher.enqueue(splitConversationId(activity.conversation.id).base, events);
  }

  private tenantAllowed(tenantId: string | undefined): boolean {
    const allowed = this.deps.allowedTenants();
    return allowed.includes('*') || (tenantId !== undefined && allowed.includes(tenantId));
  }

  /** Every activity refreshes its conversation's reference; an uninstall or the bot's removal forgets it. */
  private trackReference(activity: TeamsActivity, logger: Logger): void {
    const removed = (activity.type === 'installationUpdate' && activity.action?.startsWith('remove'))
      || (activity.membersRemoved ?? []).some((m) => m?.id === activity.recipient.id);
    if (removed) {
      const channelId = qualifiedConversation(splitConversationId(activity.conversation.id).base);
      this.deps.references.forget(channelId);
      logger.info({ channelId }, 'the app was removed from a Teams conversation; forgot its reference');
      return;
    }
    this.deps.references.capture(activity, this.deps.clock.now());
  }

  /** Action.Execute: answered within the request; a retried delivery gets the first answer and emits nothing. */
  private async execute(activity: TeamsActivity, logger: Logger): Promise<InvokeAnswer> {
    if (!activity.id) return this.runExecute(activity, logger);
    const key = `${splitConversationId(activity.conversation.id).base}|${activity.id}`;
    const { answer, repeated } = this.deps.invokes.answer(key, () => this.runExecute(activity, logger));
    if (repeated) logger.info('Teams repeated an invoke; answered it again without delivering it twice');
    return answer;
  }

  private async runExecute(activity: TeamsActivity, logger: Logger): Promise<InvokeAnswer> {
    const event = executeInvokeEvent(activity, this.deps.clock.now());
    if (typeof event === 'string') {
      logger.info({ reason: event }, 'refused a malformed Action.Execute invoke');
      return invokeError(event);
    }
    const base = splitConversationId(activity.conversation.id).base;
    const capture = new InvokeCapture(base, activity.replyToId);
    const delivered = capture.run(() => this.deps.dispatcher.deliver([event]));
    const limit = timeout(this.deps.invokeTimeoutMs);
    const outcome = await Promise.race([delivered.then(() => 'done' as const), limit.promise]);
    limit.cancel();
    capture.close();
    if (outcome === 'timeout') {
      logger.warn({ timeoutMs: this.deps.invokeTimeoutMs }, 'an action handler outlasted the invoke; acknowledged it, the handler goes on');
    }
    return capture.message ? this.cardAnswer(capture) : ACKNOWLEDGEMENT;
  }

  /** The updated card as the invoke's answer; text too long for one card was posted in the thread by the update itself. */
  private cardAnswer(capture: InvokeCapture): InvokeAnswer {
    const card = cardOf(renderMessage(capture.message ?? { text: '' }).pop() ?? { type: 'message' });
    return { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: card } };
  }

  /** A mentioned user's Entra object id, looked up once per member through the connector. */
  private async resolveMember(context: TurnContext, activity: TeamsActivity, member: TeamsAccount, logger: Logger): Promise<string | undefined> {
    const cached = this.memberIds.get(member.id);
    if (cached) return cached;
    const scope = activity.channelData?.team?.id ?? splitConversationId(activity.conversation.id).base;
    try {
      const found = await this.deps.connection().conversationsOf(context).getConversationMember(scope, member.id);
      if (!found.aadObjectId) return undefined;
      if (this.memberIds.size >= 10_000) this.memberIds.clear();
      this.memberIds.set(member.id, found.aadObjectId);
      return found.aadObjectId;
    } catch (error) {
      logger.warn({ err: error, memberId: member.id }, 'could not look up a mentioned member; kept the mention as a name');
      return undefined;
    }
  }
}

function tenantRefusal(activity: TeamsActivity, tenantId: string | undefined): RefusedEvent {
  return {
    reason: `ignored a Teams activity from tenant ${tenantId ?? '(none given)'}, which adapters.teams.allowedTenants does not list`,
    actor: actorOf(activity.from, activity).id,
    channel: qualifiedConversation(splitConversationId(activity.conversation.id).base),
    detail: { tenantId: tenantId ?? null, activityType: activity.type, activityId: activity.id ?? null },
  };
}
