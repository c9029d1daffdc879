import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterHttpRoute, ChatAdapter, ChatEventHandler, RefusedEvent } from '../../src/core/chat-adapter.js';
import { SystemClock, type Clock } from '../../src/core/clock.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import { OpsroomError, UserError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';
import { BotConnection } from './bot-connection.js';
import {
  ConversationReferences, type ForgetListener, type ReferenceListener, type TeamsConversationReference,
} from './conversation-references.js';
import { CachingCredentialsFactory, credentialsFactoryFromSettings, type TeamsCredentialsFactory } from './credentials.js';
import { EventDispatcher } from './event-dispatcher.js';
import { InboundTurns } from './inbound-turn.js';
import { InvokeMemory } from './invoke-memory.js';
import { installLibraryConsole } from './library-console.js';
import { TeamsOutbound } from './outbound.js';
import { handleTeamsRequest } from './teams-endpoint.js';
import { effectiveAllowedTenants, type TeamsSettings } from './teams-settings.js';

export interface TeamsAdapterOptions {
  settings: TeamsSettings;
  botName: string;
  logger: Logger;
  /** Outbound credentials; by default the ones the settings describe (password, certificate or managed identity). */
  credentialsFactory?: TeamsCredentialsFactory;
  clock?: Clock;
  /** How long stop() waits for queued events to be handled. */
  drainTimeoutMs?: number;
}

/** Microsoft Teams through the Bot Framework: the real botbuilder CloudAdapter behind opsroom's own guards. */
export class TeamsAdapter implements ChatAdapter {
  readonly platform = 'teams' as const;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly references = new ConversationReferences();
  private readonly dispatcher: EventDispatcher;
  private readonly outbound: TeamsOutbound;
  private readonly turns: InboundTurns;
  private readonly refusalListeners = new Set<(refusal: RefusedEvent) => void>();
  private connection: BotConnection | undefined;
  /** Off while stopping: no new activities, but queued handlers may still reply through the connection. */
  private accepting = false;
  private allowedTenants: readonly string[] = [];
  private releaseConsole: (() => void) | undefined;

  constructor(private readonly options: TeamsAdapterOptions) {
    this.logger = options.logger.child({ adapter: 'teams' });
    this.clock = options.clock ?? new SystemClock();
    this.dispatcher = new EventDispatcher(this.logger);
    const connection = (): BotConnection => this.running();
    this.outbound = new TeamsOutbound({ references: this.references, connection, clock: this.clock, logger: this.logger });
    this.turns = new InboundTurns({
      connection, references: this.references, dispatcher: this.dispatcher,
      invokes: new InvokeMemory(() => this.clock.now().getTime()), allowedTenants: () => this.allowedTenants,
      refused: (refusal) => this.emitRefusal(refusal),
      invokeTimeoutMs: options.settings.invokeTimeoutMs, clock: this.clock, logger: this.logger,
    });
  }

  /** Handles `POST /api/messages`; mount it on the HTTP server. */
  readonly handleHttp = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    handleTeamsRequest({
      settings: this.options.settings, connection: () => (this.accepting ? this.connection : undefined), turn: (context) => this.turns.handle(context),
      clock: this.clock, logger: this.logger,
    }, req, res);

  /** The Bot Framework messaging endpoint, for the shared HTTP server. */
  httpRoutes(): AdapterHttpRoute[] {
    return [{ method: 'POST', path: '/api/messages', handler: this.handleHttp }];
  }

  async start(): Promise<void> {
    if (this.connection) return;
    const { settings } = this.options;
    if (!settings.appId && !settings.localMode) {
      throw new OpsroomError('E_CONFIG', 'the Teams adapter needs the bot\'s Microsoft App ID: set adapters.teams.appId (or MicrosoftAppId in the environment) '
        + 'with its password or certificate; to try opsroom on this machine without Azure, set adapters.teams.localMode: true instead');
    }
    const allowed = effectiveAllowedTenants(settings);
    if (!allowed) {
      throw new OpsroomError('E_CONFIG', 'the Teams adapter needs adapters.teams.allowedTenants: the tenant ids whose users may talk to the bot '
        + '(or ["*"] to accept every tenant)');
    }
    this.allowedTenants = allowed;
    if (settings.localMode) {
      this.logger.warn('TEAMS LOCAL MODE: no app id and NO AUTHENTICATION of incoming activities; only loopback requests and a loopback '
        + 'serviceUrl are accepted. Never use this outside a developer machine.');
    }
    const credentials = new CachingCredentialsFactory(this.options.credentialsFactory ?? credentialsFactoryFromSettings(settings));
    this.releaseConsole = installLibraryConsole();
    this.connection = new BotConnection(settings, credentials);
    this.accepting = true;
    this.logger.info({ botName: this.options.botName, appId: settings.appId ?? null, appType: settings.appType, allowedTenants: allowed }, 'Teams adapter started');
  }

  async stop(): Promise<void> {
    if (!this.connection) return;
    this.accepting = false;
    const drained = await this.dispatcher.drain(this.options.drainTimeoutMs ?? 10_000);
    if (!drained) this.logger.warn('stopped the Teams adapter with chat events still being handled');
    this.connection = undefined;
    this.releaseConsole?.();
    this.releaseConsole = undefined;
  }

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    return this.dispatcher.subscribe(handler);
  }

  /** Called with each new or changed conversation reference, so the core can persist it. */
  onDidCaptureReference(listener: ReferenceListener): Disposable {
    return this.references.onDidCapture(listener);
  }

  /** Called with the channel id of each conversation the app was removed from, so the core can drop its reference. */
  onDidForgetReference(listener: ForgetListener): Disposable {
    return this.references.onDidForget(listener);
  }

  /** Called for each authenticated activity that was not delivered because its tenant is not allowed. */
  onDidRefuseEvent(listener: (refusal: RefusedEvent) => void): Disposable {
    this.refusalListeners.add(listener);
    return disposable(() => this.refusalListeners.delete(listener));
  }

  /** Loads references persisted earlier; throws, naming the entry, if one is malformed. */
  restoreReferences(references: readonly unknown[]): void {
    this.references.restore(references);
  }

  conversationReferences(): TeamsConversationReference[] {
    return this.references.all();
  }

  send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.outbound.send(channelId, message);
  }

  replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.outbound.reply(to, message);
  }

  update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.outbound.update(ref, message);
  }

  async react(_to: MessageRef, emoji: string): Promise<void> {
    throw new UserError('E_UNSUPPORTED', `a Teams bot cannot add reactions (asked for ${emoji})`, {
      hint: 'On Teams, choices are offered as card buttons instead.',
    });
  }

  private emitRefusal(refusal: RefusedEvent): void {
    for (const listener of this.refusalListeners) {
      try {
        listener(refusal);
      } catch (error) {
        this.logger.error({ err: error }, 'a refusal listener failed');
      }
    }
  }

  private running(): BotConnection {
    if (!this.connection) throw new OpsroomError('E_SHUTTING_DOWN', 'the Teams adapter is not running');
    return this.connection;
  }
}
