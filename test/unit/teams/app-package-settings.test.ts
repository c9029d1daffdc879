import { describe, expect, it } from 'vitest';
import { manifestOptionsOf } from '../../../adapters/teams/app-package-settings.js';
import type { CommandSpec } from '../../../src/core/command.js';

const BOT_ID = 'eac5e5c6-ab14-4f50-80cb-49213fe51b1a';
const DEVELOPER = { name: 'Acme Ops', websiteUrl: 'https://ops.acme.example', privacyUrl: 'https://ops.acme.example/p', termsOfUseUrl: 'https://ops.acme.example/t' };
const commands: CommandSpec[] = [{ name: 'help', description: 'Lists commands', args: [], permission: 'core:help', risk: 'low' }];

describe('manifestOptionsOf', () => {
  it('defaults the Teams app id to the bot id, the name to the bot name and the version to 1.0.0', () => {
    const options = manifestOptionsOf({ settings: { appId: BOT_ID, manifest: { developer: DEVELOPER } }, botName: 'opsroom', commands }, {});
    expect(options).toMatchObject({ appId: BOT_ID, botId: BOT_ID, name: 'opsroom', version: '1.0.0', developer: DEVELOPER, commands });
    expect(options.description).toMatch(/^opsroom runs the team's operations from the chat/);
  });

  it('takes the bot id from MicrosoftAppId when the settings leave it out', () => {
    expect(manifestOptionsOf({ settings: { manifest: { developer: DEVELOPER } }, botName: 'ops', commands }, { MicrosoftAppId: BOT_ID }).botId).toBe(BOT_ID);
  });

  it('names every missing or malformed setting', () => {
    expect(() => manifestOptionsOf({ settings: {}, botName: 'ops', commands }, {}))
      .toThrow(/adapters\.teams\.appId \(or MicrosoftAppId in the environment\)[\s\S]*adapters\.teams\.manifest\.developer: name, websiteUrl/);
    const bad = (): unknown => manifestOptionsOf({
      settings: { appId: BOT_ID, manifest: { developer: { ...DEVELOPER, privacyUrl: 'privacy' }, version: '2' } }, botName: 'ops', commands,
    }, {});
    expect(bad).toThrow('adapters.teams.manifest.developer.privacyUrl: an http(s) URL');
    expect(bad).toThrow('adapters.teams.manifest.version: x.y.z');
  });
});
