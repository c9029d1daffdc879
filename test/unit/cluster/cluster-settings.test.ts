import { describe, expect, it } from 'vitest';
import { clusterSettingsOf, holdsConnections, runsInvocations } from '../../../src/cluster/cluster-settings.js';
import { validateConfig } from '../../../src/config/load-config.js';

const postgres = { databaseUrl: 'postgres://opsroom@db:5432/opsroom' };

describe('cluster settings', () => {
  it('leave a process on its own without REDIS_URL, as the embedded default always ran', () => {
    expect(clusterSettingsOf(validateConfig({}, 'test'), 'all')).toBeUndefined();
    expect(clusterSettingsOf(validateConfig({}, 'test'), undefined)).toBeUndefined();
  });

  it('refuse a gateway or a worker without Redis, and a cluster role on SQLite, saying what to set', () => {
    expect(() => clusterSettingsOf(validateConfig({}, 'test'), 'worker')).toThrow(expect.objectContaining({
      code: 'E_CONFIG', problems: [expect.stringContaining('cluster.redisUrl: missing (expected REDIS_URL')],
    }));
    const sqlite = validateConfig({ cluster: { redisUrl: 'redis://redis:6379' } }, 'test');
    expect(() => clusterSettingsOf(sqlite, 'gateway')).toThrow(expect.objectContaining({
      problems: [expect.stringContaining('storage.databaseUrl: missing (expected DATABASE_URL')],
    }));
  });

  it('give a server its role and a one-shot command a part that only tells the others its changes', () => {
    const config = validateConfig({ storage: postgres, cluster: { redisUrl: 'redis://redis:6379', role: 'worker' } }, 'test');
    const server = clusterSettingsOf(config, 'gateway');
    expect(server).toMatchObject({ role: 'gateway', serves: true, keyPrefix: 'opsroom', workerConcurrency: 16 });
    expect(server?.nodeId).toMatch(/^gateway-[A-Za-z0-9-]+-[0-9a-f]{6}$/);
    expect([holdsConnections(server!), runsInvocations(server!)]).toEqual([true, false]);
    const tool = clusterSettingsOf(config, undefined);
    expect(tool).toMatchObject({ role: 'worker', serves: false });
    expect([holdsConnections(tool!), runsInvocations(tool!)]).toEqual([false, false]);
    expect(clusterSettingsOf(config, 'all')?.nodeId).not.toBe(clusterSettingsOf(config, 'all')?.nodeId);
  });

  it('take only Redis URLs and sane prefixes in the configuration', () => {
    const problems = (cluster: Record<string, unknown>): string[] => {
      try {
        validateConfig({ cluster }, 'test');
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
      return [];
    };
    expect(problems({ redisUrl: 'http://redis:6379' })).toEqual([expect.stringMatching(/^cluster\.redisUrl: .*a Redis URL such as redis:\/\/redis:6379/)]);
    expect(problems({ keyPrefix: 'a b' })).toEqual([expect.stringMatching(/^cluster\.keyPrefix: /)]);
    expect(problems({ role: 'boss' })).toEqual([expect.stringMatching(/^cluster\.role: /)]);
  });
});
