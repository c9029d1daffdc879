import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { runAutomate } from '../../../src/cli/automate-command.js';
import { runPluginTests } from '../../../src/plugins/harness/plugin-test-command.js';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp } from '../../support/test-app.js';

const ECHO = [process.execPath, '-e', 'process.stdout.write("backed up " + process.argv[1])', '{database}'];

/** A folder with a configuration file and a database whose wishlist holds what people typed. */
async function seeded(lines: Array<[string, string]>): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-automate-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'opsroom.yaml');
  const tree: ConfigInput = {
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    plugins: { bundled: false, installDir: join(dir, 'plugins') },
    runbooks: { 'backup-db': { description: 'Backs up a database', argv: ECHO, params: { database: { type: 'enum', values: ['main', 'audit'], required: true } } } },
  };
  writeFileSync(file, `# the team's opsroom\n${stringify(tree)}`);
  const { adapter, app } = await startTestApp(tree, { dir });
  for (const [who, line] of lines) await adapter.deliver(message(`!${line}`, { as: who }));
  await app.stop();
  return { dir, file };
}

function capture(): { out: string[]; err: string[]; write: (t: string) => boolean; errors: (t: string) => boolean } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: (t) => out.push(t) > 0, errors: (t) => err.push(t) > 0 };
}

describe('opsroom automate', () => {
  it('writes a plugin folder from the ways people typed a wish, whose test conversation passes in the real sandbox', async () => {
    const { dir, file } = await seeded([['alice', 'db-backup main --full'], ['bob', 'db-backup audit --full --label nightly'], ['alice', 'db-backup main --full']]);
    const io = capture();
    expect(await runAutomate('db-backup', { config: file, out: join(dir, 'db-backup') }, io.write, io.errors)).toBe(0);
    expect(io.out.join('')).toContain('Wrote the plugin db-backup for `db-backup`');
    const manifest = JSON.parse(readFileSync(join(dir, 'db-backup', 'plugin.json'), 'utf8')) as { commands: Array<{ usage: string; args: unknown[] }> };
    expect(manifest.commands[0]?.usage).toBe('db-backup <arg1> [--full] [--label <string>]');
    const conversation = parse(readFileSync(join(dir, 'db-backup', 'tests', 'wishlist.yaml'), 'utf8')) as { steps: Array<{ say: string; replies: string[] }> };
    // Requests made in the same millisecond have no order of their own; the steps are compared as a set.
    expect([...conversation.steps].sort((a, b) => a.say.localeCompare(b.say))).toEqual([
      { say: 'db-backup audit --full --label nightly', replies: ['db-backup is not automated yet: it was called with arg1="audit", full=true, label="nightly". Write what it should do in index.js of the db-backup plugin.'] },
      { say: 'db-backup main --full', replies: ['db-backup is not automated yet: it was called with arg1="main", full=true. Write what it should do in index.js of the db-backup plugin.'] },
    ]);
    const results: string[] = [];
    expect(await runPluginTests(join(dir, 'db-backup'), {}, (t) => results.push(t) > 0)).toBe(0);
    expect(results.join('')).toContain('1 passed, 0 failed');
  }, 60_000);

  it('adds a runbook command to the configuration file, keeping its comments, with the runbook parameters as arguments', async () => {
    const { file } = await seeded([['alice', 'backup main']]);
    const io = capture();
    expect(await runAutomate('backup', { config: file, runbook: 'backup-db', write: true }, io.write, io.errors)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith("# the team's opsroom\n")).toBe(true);
    expect(loadConfig({ file }).config.commands.backup).toEqual({
      description: 'Backs up a database', risk: 'low',
      args: [{ name: 'database', type: 'enum', values: ['main', 'audit'], required: true }],
      runbook: { name: 'backup-db', params: { database: '{{args.database}}' } },
    });
    expect(await runAutomate('backup', { config: file, runbook: 'backup-db', write: true }, io.write, io.errors)).toBe(2);
    expect(io.err.join('')).toContain('already defines commands.backup');
  }, 60_000);

  it('prints an http command entry, and refuses a wish nobody made', async () => {
    const { file } = await seeded([['alice', 'weather berlin']]);
    const io = capture();
    expect(await runAutomate('weather', { config: file, http: 'https://weather.example.com/today/{{args.arg1}}' }, io.write, io.errors)).toBe(0);
    expect(parse(io.out.join(''))).toEqual({
      commands: {
        weather: {
          description: 'Calls weather.example.com (asked for on the wishlist by alice)', risk: 'low',
          args: [{ name: 'arg1', type: 'string', required: true, description: 'as typed: "berlin"' }],
          http: { method: 'GET', url: 'https://weather.example.com/today/{{args.arg1}}', headers: {} },
        },
      },
    });
    expect(await runAutomate('teleport', { config: file }, io.write, io.errors)).toBe(2);
    expect(io.err.join('')).toContain('nobody asked for `teleport` on the wishlist (open wishes: weather)');
  }, 60_000);
});
