import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { clusterSettingsOf } from '../../../src/cluster/cluster-settings.js';
import { loadConfig } from '../../../src/config/load-config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
}

function compose(): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  const doc = parseDocument(readFileSync(`${ROOT}docker-compose.yml`, 'utf8'), { merge: true, uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  return doc.toJS({ maxAliasCount: 100 }) as ReturnType<typeof compose>;
}

/** The instructions of the Dockerfile's stages: `FROM` starts one. */
function stages(): string[][] {
  const lines = readFileSync(`${ROOT}Dockerfile`, 'utf8').replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) result.push([]);
    result.at(-1)?.push(line);
  }
  return result;
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, one gateway and two workers, the opsroom ones built from the Dockerfile', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['gateway', 'postgres', 'redis', 'worker']);
    for (const name of ['gateway', 'worker']) {
      expect(services[name]?.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(services[name]?.image).toBe('opsroom:local');
    }
    expect(services.gateway?.command).toEqual(['start', '--role', 'gateway']);
    expect(services.gateway?.deploy?.replicas ?? 1).toBe(1);
    expect(services.gateway?.ports).toEqual(['3000:3000']);
    expect(services.worker?.command).toEqual(['start', '--role', 'worker']);
    expect(services.worker?.deploy?.replicas).toBe(2);
    expect(services.worker?.ports).toBeUndefined();
  });

  it('points every opsroom process at the PostgreSQL and Redis services, started healthy first', () => {
    const { services } = compose();
    for (const name of ['gateway', 'worker']) {
      const env = services[name]?.environment ?? {};
      expect(new URL(env.DATABASE_URL?.replace('${POSTGRES_PASSWORD:-opsroom}', 'x') ?? '').host).toBe('postgres:5432');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(services[name]?.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      expect(services[name]?.volumes).toContain('./deploy/opsroom.yaml:/etc/opsroom/opsroom.yaml:ro');
    }
  });

  it('gives every service a healthcheck, /readyz for opsroom, and declares every named volume it mounts', () => {
    const { services, volumes } = compose();
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
      for (const mount of service.volumes ?? []) {
        const source = mount.split(':')[0] as string;
        if (!source.startsWith('.')) expect(Object.keys(volumes), `${name} mounts ${source}`).toContain(source);
      }
    }
    for (const name of ['gateway', 'worker']) expect(services[name]?.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/readyz');
    expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('mounts a configuration that starts both roles with the environment compose sets', () => {
    const env = { DATABASE_URL: 'postgres://opsroom:x@postgres:5432/opsroom', REDIS_URL: 'redis://redis:6379' };
    const { config } = loadConfig({ file: `${ROOT}deploy/opsroom.yaml`, env });
    expect(config.http.host).toBe('0.0.0.0');
    expect(clusterSettingsOf(config, 'gateway')).toMatchObject({ role: 'gateway', redisUrl: env.REDIS_URL, serves: true });
    expect(clusterSettingsOf(config, 'worker')).toMatchObject({ role: 'worker', serves: true });
    expect(config.plugins.installDir).toBe('/var/lib/opsroom/plugins');
  });
});

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, as a user that is not root, with --no-node-snapshot and a healthcheck', () => {
    const all = stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    const run = all.at(-1) as string[];
    expect(run[0]).toMatch(/^FROM node:20\S* AS runtime$/);
    expect(run.some((l) => /^COPY --from=build /.test(l))).toBe(true);
    const user = run.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(run.find((l) => l.startsWith('ENTRYPOINT '))).toContain('"--no-node-snapshot"');
    expect(run.find((l) => l.startsWith('HEALTHCHECK '))).toContain('/readyz');
    expect(run).toContain('EXPOSE 3000');
    expect(all[0]?.some((l) => l.startsWith('RUN apt-get') && l.includes('g++'))).toBe(true);
    expect(run.some((l) => l.includes('g++'))).toBe(false);
  });
});
