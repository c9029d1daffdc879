import type { TeamsCredentialsFactory } from '../../../adapters/teams/index.js';

type Credentials = Awaited<ReturnType<TeamsCredentialsFactory['createCredentials']>>;

export interface StandInCredentials extends TeamsCredentialsFactory {
  /** How many times botbuilder asked for credentials (through the adapter's cache). */
  readonly created: number;
}

/**
 * Outbound credentials for the loopback connector, which accepts any bearer: MSAL refuses non-Microsoft
 * authorities, so tests cannot use the password flow against a stand-in login endpoint.
 */
export function standInCredentials(appId: string, token = 'stand-in-connector-token'): StandInCredentials {
  let created = 0;
  const credentials: Credentials = {
    signRequest: async (resource) => {
      resource.headers.set('authorization', `Bearer ${token}`);
      return resource;
    },
  };
  return {
    get created() {
      return created;
    },
    isValidAppId: async (candidate: string) => candidate === appId,
    isAuthenticationDisabled: async () => false,
    createCredentials: async () => {
      created += 1;
      return credentials;
    },
  };
}
