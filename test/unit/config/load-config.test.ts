import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadConfig } from '../../../src/config/load-config.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-config-'));
  const file = join(dir, 'opsroom.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded default with no file: local console, SQLite, the two demo users', () => {
    const { config, file } = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'opsroom-empty-')) });
    expect(file).toBeUndefined();
    expect(config.bot.prefix).toBe('!');
    expect(config.storage.sqlitePath).toBe('./data/opsroom.db');
    expect(config.adapters.local.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(config.rbac.bindings).toContainEqual({ principal: 'local:user:bob', roles: ['approver', 'admin'] });
  });

  it('reads a file and lets the environment override it', () => {
    const file = writeConfig('bot:\n  prefix: "?"\nhttp:\n  port: 4000\n');
    const { config } = loadConfig({ file, env: { OPSROOM_HTTP_PORT: '4100', OPSROOM_PLUGIN_PATHS: '/a:/b' } });
    expect(config.bot.prefix).toBe('?');
    expect(config.http.port).toBe(4100);
    expect(config.plugins.paths).toEqual(['/a', '/b']);
  });

  it('selects PostgreSQL from DATABASE_URL', () => {
    const { config } = loadConfig({ env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, cwd: tmpdir() });
    expect(config.storage.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('lists every problem of an invalid file as path: what is wrong (expected ...)', () => {
    const file = writeConfig([
      'bot:', '  prefx: "!"',
      'http:', '  port: "many"',
      'logging:', '  level: loud',
      'rbac:', '  bindings:', '    - { principal: alice, roles: [operator] }',
    ].join('\n'));
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^bot: unknown key "prefx" \(expected/),
      expect.stringMatching(/^http\.port: wrong type \(expected number, got (nan|string)\)/),
      expect.stringMatching(/^logging\.level: "loud" is not allowed \(expected one of trace, debug, info/),
      expect.stringMatching(/^rbac\.bindings\[0\]\.principal: invalid value \(expected a qualified user id/),
    ]));
    expect(problems).toHaveLength(4);
  });

  it('reports YAML syntax errors with the line', () => {
    const file = writeConfig('bot:\n  prefix: "!\nhttp: [\n');
    const problems = problemsOf(() => loadConfig({ file, env: {} }));
    expect(problems[0]).toMatch(/^line \d+: /);
  });

  it('refuses an explicit file that does not exist, saying how to run without one', () => {
    const problems = problemsOf(() => loadConfig({ file: '/nonexistent/opsroom.yaml', env: {} }));
    expect(problems[0]).toContain('not found');
  });

  it('refuses a file that is not a mapping', () => {
    const file = writeConfig('- just\n- a list\n');
    expect(problemsOf(() => loadConfig({ file, env: {} }))[0]).toContain('expected a mapping');
  });
});
