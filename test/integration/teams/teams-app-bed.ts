import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { parseTeamsSettings, TeamsAdapter } from '../../../adapters/teams/index.js';
import { AuditLog, type AuditRecord } from '../../../src/audit/audit-log.js';
import type { ConfigInput, OpsroomConfig } from '../../../src/config/config-schema.js';
import { validateConfig } from '../../../src/config/load-config.js';
import type { AdapterPackage } from '../../../src/core/chat-adapter.js';
import { OpsroomApp } from '../../../src/di/opsroom-app.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { createScene, postActivity, type Activity, type PostResult, type TeamsScene } from '../../stand-ins/teams/activities.js';
import { startConnectorService, type ConnectorStandIn } from '../../stand-ins/teams/connector-service.js';
import { startOpenIdIssuer, type OpenIdIssuer } from '../../stand-ins/teams/openid-issuer.js';
import { standInCredentials } from '../../stand-ins/teams/stand-in-credentials.js';

export type TeamsUser = TeamsScene['user'];

/** A whole opsroom with the Teams adapter enabled from its configuration, behind the loopback issuer and connector. */
export interface TeamsAppBed {
  app: OpsroomApp;
  issuer: OpenIdIssuer;
  connector: ConnectorStandIn;
  /** The requester: an operator, bound by AAD object id. */
  scene: TeamsScene;
  /** A second user holding the approver role, bound by AAD object id. */
  approver: TeamsUser;
  config: OpsroomConfig;
  logger: TestLogger;
  endpoint: string;
  /** POSTs with a valid channel token unless `authorization` is given (null: no header at all). */
  post(activity: Activity | string, authorization?: string | null): Promise<PostResult>;
  /** Stops opsroom and starts it again on the same database (the stand-ins keep running). */
  restart(): Promise<OpsroomApp>;
  audit(action: string): Promise<AuditRecord[]>;
}

export interface TeamsAppOptions {
  /** Sections merged over the bed's configuration (top-level keys replace). */
  config?: (scene: TeamsScene, approver: TeamsUser) => ConfigInput;
  /** Use the real package, loaded by name, instead of one wrapped with stand-in credentials (nothing outbound works then). */
  realPackage?: boolean;
}

export function teamsUser(name: string): TeamsUser {
  return { id: `29:${randomBytes(20).toString('base64url')}`, aadObjectId: randomUUID(), name };
}

/** The scene with somebody else speaking. */
export function as(scene: TeamsScene, user: TeamsUser): TeamsScene {
  return { ...scene, user };
}

function baseConfig(dir: string, scene: TeamsScene, approver: TeamsUser, issuer: OpenIdIssuer): ConfigInput {
  const passwordFile = join(dir, 'teams-app-password');
  writeFileSync(passwordFile, 'unused-with-stand-in-credentials\n', { mode: 0o600 });
  return {
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    http: { port: 0, host: '127.0.0.1' },
    plugins: { bundled: false, runners: 1 },
    adapters: {
      local: { enabled: false },
      teams: { enabled: true, appId: scene.appId, appPasswordFile: passwordFile, allowedTenants: [scene.tenantId], endpoints: issuer.endpoints },
    },
    rbac: {
      bindings: [
        { principal: `teams:user:${scene.user.aadObjectId}`, roles: ['operator'] },
        { principal: `teams:user:${approver.aadObjectId}`, roles: ['approver'] },
      ],
    },
    channels: { builds: { teams: `teams:conversation:${scene.channelId}` } },
  };
}

/** The real adapter package, with outbound credentials for the loopback connector (MSAL refuses its authority). */
function standInPackage(appId: string): AdapterPackage {
  const credentialsFactory = standInCredentials(appId);
  return {
    createAdapter: (context) => new TeamsAdapter({
      settings: parseTeamsSettings(context.settings, {}), botName: context.botName, logger: context.logger, credentialsFactory, drainTimeoutMs: 5_000,
    }),
  };
}

export async function startTeamsApp(options: TeamsAppOptions = {}): Promise<TeamsAppBed> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-teams-app-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const issuer = await startOpenIdIssuer();
  onTestFinished(() => issuer.stop());
  const connector = await startConnectorService();
  onTestFinished(() => connector.stop());
  const scene = createScene(connector.serviceUrl);
  const approver = teamsUser('Bo Approver');
  const config = validateConfig({ ...baseConfig(dir, scene, approver, issuer), ...options.config?.(scene, approver) }, 'test configuration');
  const logger = createTestLogger('info');
  const start = (): Promise<OpsroomApp> => OpsroomApp.start({
    config, logger, http: true, ...(options.realPackage ? {} : { adapterPackages: { teams: standInPackage(scene.appId) } }),
  });
  let app = await start();
  onTestFinished(async () => {
    await app.stop();
    logger.assertNoErrors();
  });
  const endpoint = (): string => `http://127.0.0.1:${app.httpAddress?.port ?? 0}/api/messages`;
  const bed: TeamsAppBed = {
    app, issuer, connector, scene, approver, config, logger,
    get endpoint() {
      return endpoint();
    },
    post: (activity, authorization) => {
      const serviceUrl = typeof activity === 'string' ? scene.serviceUrl : String(activity.serviceUrl ?? scene.serviceUrl);
      const token = authorization === null ? undefined : (authorization ?? `Bearer ${issuer.mintChannelToken({ appId: scene.appId, serviceUrl })}`);
      return postActivity(endpoint(), activity, token);
    },
    restart: async () => {
      await app.stop();
      app = await start();
      bed.app = app;
      return app;
    },
    audit: async (action) => (await app.get<AuditLog>(AuditLog).list({ action, limit: 1000 })).reverse(),
  };
  return bed;
}
