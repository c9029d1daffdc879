import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { parseTeamsSettings, TeamsAdapter } from '../../../adapters/teams/index.js';
import type { ChatEventHandler } from '../../../src/core/chat-adapter.js';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { createScene, postActivity, type Activity, type PostResult, type TeamsScene } from '../../stand-ins/teams/activities.js';
import { startConnectorService, type ConnectorStandIn } from '../../stand-ins/teams/connector-service.js';
import { startOpenIdIssuer, type OpenIdIssuer } from '../../stand-ins/teams/openid-issuer.js';
import { standInCredentials, type StandInCredentials } from '../../stand-ins/teams/stand-in-credentials.js';
import { waitFor } from '../../stand-ins/teams/wait-for.js';

export interface TeamsBed {
  issuer: OpenIdIssuer;
  connector: ConnectorStandIn;
  adapter: TeamsAdapter;
  credentials: StandInCredentials;
  logger: TestLogger;
  scene: TeamsScene;
  /** `http://127.0.0.1:<port>/api/messages` */
  endpoint: string;
  events: ChatEvent[];
  /** A valid channel token for the scene's bot and serviceUrl. */
  authorization(serviceUrl?: string): string;
  /** POSTs with a valid token unless `authorization` is given (null: no header at all). */
  post(activity: Activity | string, authorization?: string | null): Promise<PostResult>;
  waitForEvents(count: number): Promise<ChatEvent[]>;
}

export interface BedOptions {
  settings?: Record<string, unknown>;
  scene?: Partial<TeamsScene>;
  /** Runs for every event after it is recorded. */
  handler?: ChatEventHandler;
}

/** The real TeamsAdapter behind a node:http server, a loopback issuer and connector; everything stops when the test ends. */
export async function startTeamsBed(options: BedOptions = {}): Promise<TeamsBed> {
  const logger = createTestLogger();
  const issuer = await startOpenIdIssuer();
  onTestFinished(() => issuer.stop());
  const connector = await startConnectorService();
  onTestFinished(() => connector.stop());
  const scene = createScene(connector.serviceUrl, options.scene);
  const settings = parseTeamsSettings({
    appId: scene.appId, appPassword: 'unused-with-stand-in-credentials', allowedTenants: [scene.tenantId], endpoints: issuer.endpoints,
    ...options.settings,
  });
  const credentials = standInCredentials(scene.appId);
  const adapter = new TeamsAdapter({ settings, botName: scene.botName, logger, credentialsFactory: credentials, drainTimeoutMs: 2_000 });
  const events: ChatEvent[] = [];
  adapter.onDidReceiveEvent(async (event) => {
    events.push(event);
    await options.handler?.(event);
  });
  await adapter.start();
  onTestFinished(() => adapter.stop());
  const server = createServer((req, res) => {
    if (req.url === '/api/messages') void adapter.handleHttp(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  const authorization = (serviceUrl = scene.serviceUrl): string =>
    `Bearer ${issuer.mintChannelToken({ appId: scene.appId, serviceUrl })}`;
  return {
    issuer, connector, adapter, credentials, logger, scene, endpoint, events, authorization,
    post: (activity, auth) => {
      const serviceUrl = typeof activity === 'string' ? scene.serviceUrl : String(activity.serviceUrl ?? scene.serviceUrl);
      return postActivity(endpoint, activity, auth === null ? undefined : (auth ?? authorization(serviceUrl)));
    },
    waitForEvents: (count) => waitFor(() => events.length >= count && events, { what: `${count} chat event(s)` }),
  };
}
