import { ClaimsIdentity } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { CachingBotFrameworkAuthentication } from '../../../adapters/teams/caching-authentication.js';
import type { TeamsCredentialsFactory } from '../../../adapters/teams/index.js';
import { standInCredentials } from '../../stand-ins/teams/stand-in-credentials.js';

const APP_ID = '1c1d3e1b-0000-4000-8000-000000000001';

function authentication(): CachingBotFrameworkAuthentication {
  return new CachingBotFrameworkAuthentication({ MicrosoftAppId: APP_ID }, standInCredentials(APP_ID));
}

function identity(appId = APP_ID): ClaimsIdentity {
  return new ClaimsIdentity([{ type: 'aud', value: appId }], true);
}

describe('CachingBotFrameworkAuthentication', () => {
  it('gives every turn of the same app, service URL and audience the same connector client', async () => {
    const auth = authentication();
    const a = await auth.createConnectorFactory(identity()).create('https://smba.trafficmanager.net/amer/', undefined);
    const b = await auth.createConnectorFactory(identity()).create('https://smba.trafficmanager.net/amer/', undefined);
    expect(b).toBe(a);
    const otherRegion = await auth.createConnectorFactory(identity()).create('https://smba.trafficmanager.net/emea/', undefined);
    expect(otherRegion).not.toBe(a);
    const otherApp = await auth.createConnectorFactory(identity('2c1d3e1b-0000-4000-8000-000000000002')).create('https://smba.trafficmanager.net/amer/', undefined);
    expect(otherApp).not.toBe(a);
  });

  it('keeps one user token client per app', async () => {
    const auth = authentication();
    expect(await auth.createUserTokenClient(identity())).toBe(await auth.createUserTokenClient(identity()));
  });

  it('tries again after a failed creation instead of keeping the failure', async () => {
    let calls = 0;
    const credentials = standInCredentials(APP_ID);
    const flaky: TeamsCredentialsFactory = {
      isValidAppId: (appId) => credentials.isValidAppId(appId),
      isAuthenticationDisabled: () => credentials.isAuthenticationDisabled(),
      createCredentials: async (...args) => {
        calls++;
        if (calls === 1) throw new Error('identity endpoint unreachable');
        return credentials.createCredentials(...args);
      },
    };
    const auth = new CachingBotFrameworkAuthentication({ MicrosoftAppId: APP_ID }, flaky);
    const factory = auth.createConnectorFactory(identity());
    await expect(factory.create('https://smba.trafficmanager.net/amer/', undefined)).rejects.toThrow('identity endpoint unreachable');
    await expect(factory.create('https://smba.trafficmanager.net/amer/', undefined)).resolves.toBeDefined();
  });
});
