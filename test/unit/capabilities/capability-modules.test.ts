import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { netModule } from '../../../src/capabilities/net/net-module.js';
import { DEFAULT_NET_OPTIONS, NetOptions } from '../../../src/capabilities/net/net-policy.js';
import { SafeFetch } from '../../../src/capabilities/net/safe-fetch.js';
import { SecretStore } from '../../../src/capabilities/secrets/secret-store.js';
import { secretsModule } from '../../../src/capabilities/secrets/secrets-module.js';
import { OpsroomConfigToken, validateConfig } from '../../../src/config/load-config.js';
import { Logger } from '../../../src/core/logger.js';
import { createTestLogger } from '../../fakes/test-logger.js';

describe('netModule', () => {
  it('builds one SafeFetch with the default options when the root binds none', () => {
    const container = new Container();
    container.bind(Logger).toConstantValue(createTestLogger());
    container.load(netModule);
    expect(container.get(NetOptions)).toEqual(DEFAULT_NET_OPTIONS);
    expect(container.get(SafeFetch)).toBeInstanceOf(SafeFetch);
    expect(container.get(SafeFetch)).toBe(container.get(SafeFetch));
  });

  it('uses the options the composition root bound, and refuses invalid ones', () => {
    const container = new Container();
    container.bind(Logger).toConstantValue(createTestLogger());
    container.bind(NetOptions).toConstantValue({ ...DEFAULT_NET_OPTIONS, allowPrivate: ['10.0.0.5:8080'] });
    container.load(netModule);
    expect(container.get<NetOptions>(NetOptions).allowPrivate).toEqual(['10.0.0.5:8080']);
    expect(() => new SafeFetch({ ...DEFAULT_NET_OPTIONS, allowPrivate: ['http://x'], maxRedirects: -1 }, createTestLogger()))
      .toThrow(expect.objectContaining({ code: 'E_CONFIG', problems: expect.arrayContaining([expect.stringContaining('net.maxRedirects')]) }));
  });
});

describe('secretsModule', () => {
  it('reads secret sources from the configuration', () => {
    const container = new Container();
    const config = validateConfig({ secrets: { GITHUB_TOKEN: { env: 'OPSROOM_TEST_UNSET_VARIABLE' } } }, 'test');
    container.bind(OpsroomConfigToken).toConstantValue(config);
    container.load(secretsModule);
    const store = container.get<SecretStore>(SecretStore);
    expect(store.get('GITHUB_TOKEN')).toBeUndefined();
    expect(store.howToSet('GITHUB_TOKEN')).toBe('set the environment variable OPSROOM_TEST_UNSET_VARIABLE');
  });
});
