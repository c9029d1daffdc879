import { CloudAdapter, type Activity, type ConversationParameters, type InvokeResponse, type TurnContext } from 'botbuilder';
import { CachingBotFrameworkAuthentication } from './caching-authentication.js';
import type { TeamsCredentialsFactory } from './credentials.js';
import type { TeamsActivity } from './teams-activity.js';
import type { TeamsSettings } from './teams-settings.js';

/** The Bot Connector operations opsroom uses (botbuilder's ConnectorClient.conversations). */
export interface ConnectorConversations {
  sendToConversation(conversationId: string, activity: Record<string, unknown>): Promise<{ id?: string }>;
  replyToActivity(conversationId: string, activityId: string, activity: Record<string, unknown>): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: Record<string, unknown>): Promise<{ id?: string }>;
  getConversationMember(conversationId: string, memberId: string): Promise<{ id?: string; aadObjectId?: string }>;
}

/** Where a proactive call goes. */
export interface ConversationTarget {
  serviceUrl: string;
  conversationId: string;
  conversationType?: string;
  tenantId?: string;
  botId: string;
}

export type TurnLogic = (context: TurnContext) => Promise<void>;

/** processActivity is protected; this exposes it so opsroom answers the HTTP request itself (401 vs 500, no console). */
class OpsroomCloudAdapter extends CloudAdapter {
  processAuthenticated(authHeader: string, activity: TeamsActivity, logic: TurnLogic): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity as unknown as Activity, logic);
  }
}

/** The real botbuilder CloudAdapter, configured from the settings; the only place that talks to botbuilder's turn machinery. */
export class BotConnection {
  private readonly cloud: OpsroomCloudAdapter;
  private readonly appId: string;
  private readonly oauthScope: string;

  constructor(settings: TeamsSettings, credentials: TeamsCredentialsFactory) {
    const { endpoints } = settings;
    this.appId = settings.appId ?? '';
    this.oauthScope = endpoints.oauthScope;
    // Every endpoint together: with only some of them set, botbuilder rejects every token.
    const authentication = new CachingBotFrameworkAuthentication({
      MicrosoftAppId: this.appId,
      MicrosoftAppTenantId: settings.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: endpoints.channelOpenIdMetadataUrl,
      ToBotFromChannelTokenIssuer: endpoints.channelTokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: endpoints.loginUrl,
      ToChannelFromBotOAuthScope: endpoints.oauthScope,
      OAuthUrl: endpoints.oauthUrl,
      CallerId: endpoints.callerId,
    }, credentials);
    this.cloud = new OpsroomCloudAdapter(authentication);
  }

  /** Authenticates the activity with botbuilder and runs `logic` in its turn; resolves with the invoke response, if any. */
  process(authHeader: string, activity: TeamsActivity, logic: TurnLogic): Promise<InvokeResponse | undefined> {
    return this.cloud.processAuthenticated(authHeader, activity, logic);
  }

  /** The connector client of a turn (inbound or proactive). */
  conversationsOf(context: TurnContext): ConnectorConversations {
    const client = context.turnState.get(this.cloud.ConnectorClientKey) as { conversations: ConnectorConversations } | undefined;
    if (!client) throw new Error('botbuilder gave the turn no connector client');
    return client.conversations;
  }

  /** Runs `fn` with a connector client for a conversation opsroom is not currently answering. */
  async proactive<T>(target: ConversationTarget, fn: (conversations: ConnectorConversations) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    const reference = {
      channelId: 'msteams', serviceUrl: target.serviceUrl, bot: { id: target.botId, name: '' },
      conversation: {
        id: target.conversationId, conversationType: target.conversationType ?? 'personal', isGroup: target.conversationType !== 'personal', name: '',
        ...(target.tenantId ? { tenantId: target.tenantId } : {}),
      },
    };
    await this.cloud.continueConversationAsync(this.appId, reference, async (context) => {
      result = { value: await fn(this.conversationsOf(context)) };
    });
    if (!result) throw new Error('botbuilder did not run the proactive turn');
    return result.value;
  }

  /** Opens a personal conversation with a member; resolves with its id. */
  async createPersonalConversation(serviceUrl: string, botId: string, memberId: string, tenantId: string | undefined): Promise<string> {
    let created: string | undefined;
    const parameters: ConversationParameters = {
      isGroup: false, bot: { id: botId, name: '' }, members: [{ id: memberId, name: '' }],
      channelData: tenantId ? { tenant: { id: tenantId } } : {}, ...(tenantId ? { tenantId } : {}),
    };
    await this.cloud.createConversationAsync(this.appId, 'msteams', serviceUrl, this.oauthScope, parameters, async (context) => {
      created = context.activity.conversation.id;
    });
    if (!created) throw new Error('the connector created a conversation without an id');
    return created;
  }
}
