import { describe, expect, it } from 'vitest';
import { CachingCredentialsFactory, credentialsFactoryFromSettings } from '../../../adapters/teams/credentials.js';
import { parseTeamsSettings } from '../../../adapters/teams/teams-settings.js';
import { standInCredentials } from '../../stand-ins/teams/stand-in-credentials.js';

const APP = '1c1d3e1b-0000-4000-8000-000000000001';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('credentialsFactoryFromSettings', () => {
  it.each([
    { appId: APP, appPassword: 'pw' },
    { appId: APP, appPassword: 'pw', appType: 'SingleTenant', tenantId: TENANT },
    { appId: APP, appType: 'UserAssignedMSI', tenantId: TENANT },
  ])('accepts only its own app id for %j', async (raw) => {
    const factory = credentialsFactoryFromSettings(parseTeamsSettings(raw));
    expect(await factory.isAuthenticationDisabled()).toBe(false);
    expect(await factory.isValidAppId(APP)).toBe(true);
    expect(await factory.isValidAppId('00000000-0000-4000-8000-000000000000')).toBe(false);
  });

  it('disables authentication only in local mode', async () => {
    const factory = credentialsFactoryFromSettings(parseTeamsSettings({ localMode: true }));
    expect(await factory.isAuthenticationDisabled()).toBe(true);
  });
});

describe('CachingCredentialsFactory', () => {
  it('creates credentials once per app, audience and login endpoint', async () => {
    const inner = standInCredentials(APP);
    const cached = new CachingCredentialsFactory(inner);
    const first = await cached.createCredentials(APP, 'https://api.botframework.com', 'https://login', true);
    expect(await cached.createCredentials(APP, 'https://api.botframework.com', 'https://login', true)).toBe(first);
    await cached.createCredentials(APP, 'https://other-audience', 'https://login', true);
    expect(inner.created).toBe(2);
  });
});
