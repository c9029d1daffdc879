import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTeamsAppPackage, buildTeamsManifest, type TeamsManifestOptions } from '../../../adapters/teams/index.js';
import type { CommandSpec } from '../../../src/core/command.js';

// Both packages are CommonJS with a default export.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const SCHEMA_PATH = new URL('../../stand-ins/teams/fixtures/teams-manifest.schema.json', import.meta.url);

function command(name: string): CommandSpec {
  return { name, description: `Runs ${name}`, usage: `${name} <target>`, args: [], permission: `use:${name}`, risk: 'low' };
}

function options(overrides: Partial<TeamsManifestOptions> = {}): TeamsManifestOptions {
  return {
    appId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', botId: 'eac5e5c6-ab14-4f50-80cb-49213fe51b1a', name: 'opsroom',
    description: 'ChatOps for the team: deploy, read logs, restart apps and approve risky commands, all from the chat, with an audit log.',
    commands: ['help', 'ping', 'deploy', 'logs'].map(command), version: '1.4.0',
    developer: { name: 'Acme Ops', websiteUrl: 'https://ops.acme.example', privacyUrl: 'https://ops.acme.example/privacy', termsOfUseUrl: 'https://ops.acme.example/terms' },
    ...overrides,
  };
}

function validator(): (data: unknown) => boolean {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // The schema declares draft-04, which Ajv 8 does not ship; its keywords here are all draft-07 compatible.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (data) => {
    const valid = validate(data);
    if (!valid) throw new Error(`manifest invalid: ${ajv.errorsText(validate.errors)}`);
    return valid;
  };
}

interface Png {
  width: number;
  height: number;
  rgba: Buffer;
}

/** Decodes the PNGs this package writes: 8-bit RGBA, filter 0 on every row. */
function decodePng(data: Buffer): Png {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)));
  return { width, height, rgba: Buffer.concat(rows) };
}

describe('Teams app manifest and package', () => {
  it('builds a manifest that validates against the Teams schema, with a command list per scope', () => {
    const manifest = buildTeamsManifest(options());
    const validate = validator();
    expect(validate(manifest)).toBe(true);
    expect(() => validate({ ...manifest, bots: [{ botId: 'not-a-guid' }] })).toThrow(/manifest invalid/);
    const [bot] = manifest.bots as Array<{ scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.commandLists.map((l) => l.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    expect(bot?.commandLists[0]?.commands.map((c) => c.title)).toEqual(['help', 'ping', 'deploy', 'logs']);
  });

  it('lists at most ten commands per scope and names the ones left out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsroom-teams-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const many = Array.from({ length: 13 }, (_, i) => command(`cmd-${i}`));
    const built = await buildTeamsAppPackage({ ...options({ commands: many }), path: join(dir, 'app.zip') });
    expect(validator()(built.manifest)).toBe(true);
    const [bot] = built.manifest.bots as Array<{ commandLists: Array<{ commands: unknown[] }> }>;
    expect(bot?.commandLists.every((l) => l.commands.length === 10)).toBe(true);
    expect(built.omittedCommands).toEqual(['cmd-10', 'cmd-11', 'cmd-12']);
  });

  it('writes a zip that unzip accepts, holding the manifest and icons of the right sizes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsroom-teams-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'opsroom-teams.zip');
    await buildTeamsAppPackage({ ...options(), path });
    expect(execFileSync('unzip', ['-tq', path], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const extract = (name: string): Buffer => execFileSync('unzip', ['-p', path, name]);
    expect(validator()(JSON.parse(extract('manifest.json').toString('utf8')))).toBe(true);
    const color = decodePng(extract('color.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(extract('outline.png'));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const pixels = Array.from({ length: 32 * 32 }, (_, i) => outline.rgba.subarray(i * 4, i * 4 + 4));
    expect(pixels.every((p) => p[3] === 0 || (p[0] === 255 && p[1] === 255 && p[2] === 255 && p[3] === 255))).toBe(true);
    expect(pixels.some((p) => p[3] === 255)).toBe(true);
    expect(pixels.some((p) => p[3] === 0)).toBe(true);
  });

  it('refuses bad input, naming each problem', () => {
    expect(() => buildTeamsManifest(options({ appId: 'opsroom', name: 'a name that is far too long for teams', version: '1.0.0-beta' })))
      .toThrow(/appId must be a GUID[\s\S]*name must be 1 to 30 characters[\s\S]*version must be x\.y\.z/);
    expect(() => buildTeamsManifest(options({ developer: { name: 'Acme', websiteUrl: 'ftp://x', privacyUrl: 'https://x', termsOfUseUrl: 'https://x' } })))
      .toThrow(/developer\.websiteUrl must be an http\(s\) URL/);
  });
});
