import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { teamsAdapterSettings, teamsPublicSettings } from '../../../src/di/adapter-settings.js';

const APP_ID = '1c1d3e1b-0000-4000-8000-000000000001';

function teamsSection(teams: Record<string, unknown>) {
  return validateConfig({ adapters: { teams } }, 'test configuration').adapters.teams;
}

function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

describe('teamsAdapterSettings', () => {
  it('reads the app password and the certificate key from their files, without the trailing newline', () => {
    const section = teamsSection({
      enabled: true, appId: APP_ID, appPasswordFile: '/run/secrets/teams', certificate: { thumbprint: 'a'.repeat(40), privateKeyFile: '/run/secrets/key.pem' },
    });
    const settings = teamsAdapterSettings(section, files({ '/run/secrets/teams': 's3cret\n', '/run/secrets/key.pem': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' }));
    expect(settings).toEqual({
      enabled: true, appId: APP_ID, appPassword: 's3cret',
      certificate: { thumbprint: 'a'.repeat(40), privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' },
    });
  });

  it('names the setting and the file when the file is missing or empty, never its content', () => {
    const section = teamsSection({ appId: APP_ID, appPasswordFile: '/run/secrets/teams' });
    expect(() => teamsAdapterSettings(section, files({}))).toThrow(ConfigError);
    try {
      teamsAdapterSettings(section, files({}));
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['adapters.teams.appPasswordFile: the file /run/secrets/teams cannot be read (ENOENT)']);
    }
    expect(() => teamsAdapterSettings(section, files({ '/run/secrets/teams': '\n' }))).toThrow(/appPasswordFile is empty/);
  });

  it('leaves secrets out of the public settings', () => {
    const section = teamsSection({ appId: APP_ID, appPasswordFile: '/x', certificate: { thumbprint: 'b'.repeat(40), privateKeyFile: '/y' }, localMode: false });
    expect(teamsPublicSettings(section)).toEqual({ enabled: false, appId: APP_ID, localMode: false });
  });
});

describe('the adapters.teams configuration section', () => {
  it('is off by default', () => {
    expect(validateConfig({}, 'test configuration').adapters.teams).toEqual({ enabled: false });
  });

  it('refuses a password written into the file, and names each bad value', () => {
    expect(() => validateConfig({ adapters: { teams: { appPassword: 'plain' } } }, 'test configuration')).toThrow(ConfigError);
    try {
      validateConfig({ adapters: { teams: { appPassword: 'plain', appId: 'bot', allowedTenants: ['acme'], endpoints: { loginUrl: 'x' } } } }, 'test configuration');
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('adapters.teams: unknown key "appPassword"');
      expect(problems).toContain('adapters.teams.appId: invalid value (expected the bot\'s Microsoft App ID, a GUID)');
      expect(problems).toContain('adapters.teams.allowedTenants[0]');
      expect(problems).toContain('adapters.teams.endpoints.channelOpenIdMetadataUrl: missing');
    }
  });
});
