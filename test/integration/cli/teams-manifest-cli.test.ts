import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';

// Both packages are CommonJS with a default export.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The Teams manifest schema v1.29, as published by Microsoft (a copy of the shared specs' file, with its source note). */
const SCHEMA = new URL('../../stand-ins/teams/fixtures/teams-manifest.schema.json', import.meta.url);
const BOT_ID = 'eac5e5c6-ab14-4f50-80cb-49213fe51b1a';
const TEAMS_APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function validateManifest(manifest: unknown): void {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  // The schema declares draft-04, which Ajv 8 does not ship; the keywords it uses mean the same in draft-07.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (!validate(manifest)) throw new Error(`manifest invalid: ${ajv.errorsText(validate.errors)}`);
}

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'opsroom-teams-cli-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

function writeConfig(teams: Record<string, unknown>): void {
  writeFileSync(join(cwd, 'opsroom.yaml'), `${JSON.stringify({ http: { enabled: false }, adapters: { teams } }, null, 2)}\n`);
}

describe('opsroom teams manifest', () => {
  it('writes an app package whose manifest validates against the Teams schema, with the command list from the registry', async () => {
    writeConfig({
      appId: BOT_ID,
      manifest: {
        id: TEAMS_APP_ID,
        developer: { name: 'Acme Ops', websiteUrl: 'https://ops.acme.example', privacyUrl: 'https://ops.acme.example/privacy', termsOfUseUrl: 'https://ops.acme.example/terms' },
      },
    });
    const result = await runCli(['teams', 'manifest', '--out', 'opsroom-teams.zip', '--app-version', '1.4.2'], { cwd, timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(cwd, 'opsroom-teams.zip')}`);
    const zip = join(cwd, 'opsroom-teams.zip');
    expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n')).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifest = JSON.parse(execFileSync('unzip', ['-p', zip, 'manifest.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    validateManifest(manifest);
    expect(manifest).toMatchObject({ id: TEAMS_APP_ID, version: '1.4.2', name: { short: 'opsroom' }, bots: [{ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'] }] });
    const [bot] = manifest.bots as Array<{ commandLists: Array<{ commands: Array<{ title: string }> }> }>;
    const titles = bot?.commandLists[0]?.commands.map((c) => c.title) ?? [];
    // help first, then the bundled plugins' commands: the team's operations come before the other built-ins.
    expect(titles[0]).toBe('help');
    expect(titles).toHaveLength(10); // Teams allows ten commands per list
    expect(new Set(titles).size).toBe(10);
    expect(titles).toContain('alerts');
    expect(titles).toHaveLength(10);
    expect(result.stdout).toContain(`commands in the Teams menus: ${titles.join(', ')}`);
    expect(result.stdout).toMatch(/not in the menus \(they still work when typed\): .*ping/);
  });

  it('says what is missing, with status 2, when the configuration cannot make a package', async () => {
    writeConfig({});
    const result = await runCli(['teams', 'manifest', '--out', 'x.zip'], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the Teams app package cannot be built');
    expect(result.stderr).toContain('adapters.teams.appId (or MicrosoftAppId in the environment)');
    expect(result.stderr).toContain('adapters.teams.manifest.developer: name, websiteUrl, privacyUrl and termsOfUseUrl are needed');
  });
});
