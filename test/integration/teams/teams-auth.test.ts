import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseTeamsSettings, TeamsAdapter } from '../../../adapters/teams/index.js';
import { createTestLogger } from '../../fakes/test-logger.js';
import { channelMessage, createScene, postActivity } from '../../stand-ins/teams/activities.js';
import { BAD_TOKEN_KINDS, badAuthorization } from '../../stand-ins/teams/bad-tokens.js';
import { settle } from '../../stand-ins/teams/wait-for.js';
import { startTeamsBed } from './teams-bed.js';

describe('TeamsAdapter authentication', () => {
  it('accepts a channel token of exactly the Bot Framework shape, verified by botbuilder against the issuer keys', async () => {
    const bed = await startTeamsBed();
    expect((await bed.post(channelMessage(bed.scene, 'ping'))).status).toBe(200);
    await bed.waitForEvents(1);
    expect(bed.issuer.fetches.get('/v1/.well-known/keys')).toBe(1);
  });

  it.each(BAD_TOKEN_KINDS)('answers 401 and runs nothing when the token is bad: %s', async (kind) => {
    const bed = await startTeamsBed();
    const activity = channelMessage(bed.scene, 'deploy web prod');
    const authorization = badAuthorization(bed.issuer, kind, { appId: bed.scene.appId, serviceUrl: bed.scene.serviceUrl });
    const result = await bed.post(activity, authorization ?? null);
    expect(result).toEqual({ status: 401, body: { error: 'unauthorized' } });
    await settle(50);
    expect(bed.events).toEqual([]);
    expect(bed.connector.calls).toEqual([]);
    expect(bed.adapter.conversationReferences()).toEqual([]);
    bed.logger.assertNoErrors();
  });

  it('keeps botbuilder\'s console noise, and the signing key it dumps, out of the console and the log', async () => {
    const printed: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args);
    onTestFinished(() => void (console.error = original));
    const bed = await startTeamsBed();
    const forged = badAuthorization(bed.issuer, 'another key under a known kid', { appId: bed.scene.appId, serviceUrl: bed.scene.serviceUrl });
    expect((await bed.post(channelMessage(bed.scene, 'x'), forged)).status).toBe(401);
    expect(printed).toEqual([]);
    const lines = JSON.stringify(bed.logger.entries());
    expect(lines).toContain('refused a Teams request: the token did not validate');
    expect(lines).not.toContain('Available keys');
    expect(lines).not.toContain('BEGIN PUBLIC KEY');
    expect(lines).not.toContain('BEGIN RSA PUBLIC KEY');
  });

  it('answers 503, not 401 or 500, when the signing keys cannot be fetched', async () => {
    const bed = await startTeamsBed();
    await bed.issuer.stop();
    bed.logger.expectErrors('could not load the Bot Framework signing keys');
    const result = await bed.post(channelMessage(bed.scene, 'ping'));
    expect(result.status).toBe(503);
    expect(bed.events).toEqual([]);
  });

  it('refuses to start without an app id unless localMode is set', async () => {
    const logger = createTestLogger();
    const adapter = new TeamsAdapter({ settings: parseTeamsSettings({ allowedTenants: ['*'] }), botName: 'opsroom', logger });
    await expect(adapter.start()).rejects.toThrow(/needs the bot's Microsoft App ID.*localMode: true/s);
  });

  it('refuses to start without allowedTenants for a multi-tenant app', async () => {
    const settings = parseTeamsSettings({ appId: '1c1d3e1b-0000-4000-8000-000000000001', appPassword: 'secret' });
    const adapter = new TeamsAdapter({ settings, botName: 'opsroom', logger: createTestLogger() });
    await expect(adapter.start()).rejects.toThrow(/allowedTenants/);
  });

  it('rejects settings that cannot work, naming each problem', () => {
    expect(() => parseTeamsSettings({ appId: 'not-a-guid', appType: 'SingleTenant', endpoints: { channelTokenIssuer: 'x' } }))
      .toThrow(/adapters\.teams\.appId: the bot's Microsoft App ID, a GUID[\s\S]*adapters\.teams\.endpoints\.channelOpenIdMetadataUrl/);
    expect(() => parseTeamsSettings({ appId: '1c1d3e1b-0000-4000-8000-000000000001', appType: 'SingleTenant' }))
      .toThrow(/needs appPassword[\s\S]*SingleTenant needs tenantId/);
    expect(() => parseTeamsSettings({ localMode: true, appId: '1c1d3e1b-0000-4000-8000-000000000001' })).toThrow(/cannot be combined with appId/);
  });

  it('takes the app id and password from the Bot Framework environment variables', () => {
    const settings = parseTeamsSettings({}, { MicrosoftAppId: '1c1d3e1b-0000-4000-8000-000000000001', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant' });
    expect(settings).toMatchObject({ appId: '1c1d3e1b-0000-4000-8000-000000000001', appPassword: 'pw', appType: 'MultiTenant' });
  });

  it('runs without authentication in localMode, warns loudly, and answers only a loopback serviceUrl', async () => {
    const logger = createTestLogger();
    const adapter = new TeamsAdapter({ settings: parseTeamsSettings({ localMode: true }), botName: 'opsroom', logger });
    const events: unknown[] = [];
    adapter.onDidReceiveEvent(async (event) => void events.push(event));
    await adapter.start();
    onTestFinished(() => adapter.stop());
    expect(logger.entries().some((e) => e.level === 40 && e.msg?.includes('NO AUTHENTICATION'))).toBe(true);
    const server = createServer((req, res) => void adapter.handleHttp(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    const local = createScene('http://127.0.0.1:9/amer/');
    expect((await postActivity(url, channelMessage(local, 'ping'))).status).toBe(200);
    const remote = createScene('https://smba.trafficmanager.net/amer/');
    expect((await postActivity(url, channelMessage(remote, 'ping'))).status).toBe(403);
    await settle(50);
    expect(events).toHaveLength(1);
  });
});
