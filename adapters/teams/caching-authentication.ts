import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Authentication = ConfigurationBotFrameworkAuthentication;
type AuthenticateRequestResult = Awaited<ReturnType<Authentication['authenticateRequest']>>;
type ConnectorFactory = ReturnType<Authentication['createConnectorFactory']>;
type ClaimsIdentity = Parameters<Authentication['createConnectorFactory']>[0];
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Authentication['createUserTokenClient']>>;
type Activity = Parameters<Authentication['authenticateRequest']>[0];

/** Service URLs are per region, so a handful; the bound only guards against a surprise. */
const MAX_CLIENTS = 64;

/** Promises by key, least recently used evicted first; a failed creation is forgotten so the next call tries again. */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const created = create();
    this.entries.set(key, created);
    created.catch(() => {
      if (this.entries.get(key) === created) this.entries.delete(key);
    });
    if (this.entries.size > MAX_CLIENTS) this.entries.delete(this.entries.keys().next().value as string);
    return created;
  }
}

/** The app id botbuilder sends as: the audience of a channel token, else the appid claim (its own rule). */
function appIdOf(identity: ClaimsIdentity | undefined): string {
  return identity?.getClaimValue('aud') ?? identity?.getClaimValue('appid') ?? '';
}

/**
 * botbuilder builds a new ConnectorClient and UserTokenClient for every turn, inbound and proactive, each with its
 * own request pipeline: measured, building them cost close to a millisecond of CPU per activity answered (the
 * inbound turn and the reply). The clients keep nothing of a turn (the credentials cache their own tokens), so one
 * per (app id, service URL, audience) serves every turn, as botbuilder's older BotFrameworkAdapter did.
 */
export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokens = new ClientCache<UserTokenClient>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.caching(result.connectorFactory, appIdOf(result.claimsIdentity)) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.caching(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokens.get(appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private caching(inner: ConnectorFactory, appId: string): ConnectorFactory {
    const connectors = this.connectors;
    // Derived from the real factory, so it stays what botbuilder expects; only create() is shared.
    const factory = Object.create(inner) as ConnectorFactory;
    factory.create = (serviceUrl: string, audience?: string) =>
      connectors.get(JSON.stringify([appId, serviceUrl, audience ?? '']), () => inner.create(serviceUrl, audience));
    return factory;
  }
}
