import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';
import { runCli } from '../../support/run-cli.js';

let cwd: string;
beforeEach(() => { cwd = mkdtempSync(join(tmpdir(), 'opsroom-plugin-cli-')); });
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function configWith(pluginDir: string): void {
  writeFileSync(join(cwd, 'opsroom.yaml'), [
    'plugins:', '  bundled: false', `  paths: [${JSON.stringify(pluginDir)}]`, '  grants: { greet: [] }',
  ].join('\n'));
}

const greet = {
  manifest: manifest('greet', {
    commands: [{ name: 'greet', description: 'says hi', risk: 'medium', args: [{ name: 'who', type: 'string', required: true }, { name: 'loud', type: 'bool', flag: true }] }],
    capabilities: { storage: { quotaKb: 4 } },
  }),
  code: 'export default { commands: { async greet(ctx, args) { return "hi " + args.who; } } };',
};

describe('opsroom plugin', () => {
  it('lists, shows, grants and revokes as the operator, and the database keeps it', async () => {
    configWith(pluginFolders({ greet }));
    const list = await runCli(['plugin', 'list'], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/- greet 1\.0\.0 \(.*\): loaded; commands: greet/);
    const granted = await runCli(['plugin', 'grant', 'greet', 'storage'], { cwd });
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('[granted] storage: keep up to 4 KB of its own data');
    const info = await runCli(['plugin', 'info', 'greet'], { cwd });
    expect(info.stdout).toContain('[granted] storage');
    const refused = await runCli(['plugin', 'grant', 'greet', 'net:example.com'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('opsroom: greet does not ask for net:example.com; it asks for storage\n');
    const unknown = await runCli(['plugin', 'info', 'nope'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no plugin nope');
  });
});

describe('opsroom try', () => {
  it('shows how a line parses, what it hits and whether the user may run it, without running it', async () => {
    configWith(pluginFolders({ greet }));
    const result = await runCli(['try', '!greet "the team" --loud', '--as', 'alice'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('tokens:     greet | "the team" | --loud');
    expect(result.stdout).toContain('command:    greet (plugin greet, risk medium)');
    expect(result.stdout).toContain('arguments:  who="the team" loud=true');
    expect(result.stdout).toContain('permission: allowed (use:greet)');
    expect(result.stdout).toContain('nothing was run');
  });

  it('says when the user may not run it, and why', async () => {
    configWith(pluginFolders({ greet }));
    const result = await runCli(['try', 'greet x', '--as', 'discord:user:42'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/permission: denied: greet needs the permission use:greet and you have no role/);
  });

  it('explains a bad line with the usage', async () => {
    configWith(pluginFolders({ greet }));
    const result = await runCli(['try', 'greet', '--as', 'alice'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/parse: +refused: missing required argument <who>\nusage: greet <who> \[--loud\]/);
  });
});
