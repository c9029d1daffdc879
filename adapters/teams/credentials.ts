import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsSettings } from './teams-settings.js';

/** botbuilder's ServiceClientCredentialsFactory: decides which app ids are ours and signs outbound calls. */
export type TeamsCredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;
type Credentials = Awaited<ReturnType<TeamsCredentialsFactory['createCredentials']>>;

/** Outbound credentials could not be created (bad secret, unreachable identity endpoint): the bot's fault, not the caller's. */
export class CredentialsUnavailable extends Error {
  override readonly name = 'CredentialsUnavailable';
}

/** The factory the settings describe: password or certificate (Single/MultiTenant), managed identity, or none in local mode. */
export function credentialsFactoryFromSettings(settings: TeamsSettings): TeamsCredentialsFactory {
  if (settings.localMode) return new ConfigurationServiceClientCredentialFactory({});
  return new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: settings.appId,
    MicrosoftAppPassword: settings.appPassword,
    MicrosoftAppType: settings.appType === 'UserAssignedMSI' ? 'UserAssignedMsi' : settings.appType,
    MicrosoftAppTenantId: settings.tenantId,
    ...(settings.certificate
      ? { CertificateThumbprint: settings.certificate.thumbprint, CertificatePrivateKey: settings.certificate.privateKey }
      : {}),
  });
}

/**
 * botbuilder asks for credentials twice per turn and never caches them; the credential objects hold the token
 * cache, so one per (app, audience, login endpoint) keeps a token alive across turns.
 */
export class CachingCredentialsFactory implements TeamsCredentialsFactory {
  private readonly cache = new Map<string, Promise<Credentials>>();

  constructor(private readonly inner: TeamsCredentialsFactory) {}

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  createCredentials(appId: string, audience: string | undefined, loginEndpoint: string, validateAuthority: boolean): Promise<Credentials> {
    const key = JSON.stringify([appId, audience ?? '', loginEndpoint, validateAuthority]);
    let credentials = this.cache.get(key);
    if (!credentials) {
      credentials = this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority).catch((error: unknown) => {
        this.cache.delete(key);
        throw new CredentialsUnavailable(`could not create outbound credentials for app ${appId || '(none)'}`, { cause: error });
      });
      this.cache.set(key, credentials);
    }
    return credentials;
  }
}
