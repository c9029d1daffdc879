import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { BotConnection, TurnLogic } from './bot-connection.js';
import { CredentialsUnavailable } from './credentials.js';
import { withLibraryConsole } from './library-console.js';
import { readActivity } from './read-activity.js';
import type { TeamsActivity } from './teams-activity.js';
import type { TeamsSettings } from './teams-settings.js';
import { tokenProblem } from './token-check.js';

export interface EndpointDeps {
  settings: TeamsSettings;
  /** The running connection, or undefined before start() and after stop(). */
  connection: () => BotConnection | undefined;
  turn: TurnLogic;
  clock: Clock;
  logger: Logger;
}

interface Outcome {
  status: number;
  body?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function respond(res: ServerResponse, outcome: Outcome, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = outcome.body === undefined ? '' : JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    ...headers, ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 5; current = (current as { cause?: unknown } | null)?.cause) {
    chain.push(current);
  }
  return chain;
}

/** The signing keys could not be fetched: the issuer is down or unreachable, not the caller's fault. */
function isKeySourceUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    const { statusCode, code, name } = (e ?? {}) as { statusCode?: unknown; code?: unknown; name?: unknown };
    return (typeof statusCode === 'number' && statusCode >= 500) || NETWORK_CODES.has(String(code)) || name === 'FetchError';
  });
}

/**
 * Before the turn ran, every failure is an authentication failure (401, never botbuilder's 500), except the two
 * that are ours: signing keys we cannot fetch (503, so the Bot Framework retries) and outbound credentials (500).
 */
function classify(error: unknown, entered: boolean, logger: Logger): Outcome {
  if (entered) {
    logger.error({ err: error }, 'handling a Teams activity failed after authentication');
    return { status: 500, body: { error: 'internal error' } };
  }
  if (causes(error).some((e) => e instanceof CredentialsUnavailable)) {
    logger.error({ err: error }, 'could not create the bot\'s outbound credentials');
    return { status: 500, body: { error: 'internal error' } };
  }
  if (isKeySourceUnavailable(error)) {
    logger.error({ err: error }, 'could not load the Bot Framework signing keys; answered 503');
    return { status: 503, body: { error: 'signing keys unavailable' } };
  }
  logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'refused a Teams request: the token did not validate');
  return { status: 401, body: { error: 'unauthorized' } };
}

async function runTurn(deps: EndpointDeps, connection: BotConnection, authorization: string, activity: TeamsActivity): Promise<Outcome> {
  let entered = false;
  try {
    const response = await withLibraryConsole(deps.logger, () =>
      connection.process(authorization, activity, (context) => {
        entered = true;
        return deps.turn(context);
      }));
    return { status: response?.status ?? 200, ...(response?.body !== undefined ? { body: response.body } : {}) };
  } catch (error) {
    return classify(error, entered, deps.logger);
  }
}

/** The `POST /api/messages` endpoint: guards the body and the token, then lets botbuilder authenticate and run the turn. */
export async function handleTeamsRequest(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await handle(deps, req, res);
  } catch (error) {
    // A broken connection or a bug must cost one request, never the process.
    deps.logger.error({ err: error }, 'the Teams endpoint failed to answer a request');
    respond(res, { status: 500, body: { error: 'internal error' } });
  }
}

async function handle(deps: EndpointDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { settings, logger } = deps;
  const connection = deps.connection();
  if (!connection) return respond(res, { status: 503, body: { error: 'the Teams adapter is not running' } });
  if (req.method !== 'POST') return respond(res, { status: 405, body: { error: 'only POST is accepted' } }, { allow: 'POST' });
  if (settings.localMode && !isLoopbackAddress(req.socket.remoteAddress)) {
    logger.warn({ remoteAddress: req.socket.remoteAddress }, 'Teams local mode refused a request from off the machine');
    return respond(res, { status: 403, body: { error: 'local mode accepts requests from loopback only' } });
  }
  const read = await readActivity(req, settings.maxBodyBytes);
  if (!read.ok) {
    logger.info({ reason: read.reason }, 'refused a Teams request body');
    // The rest of an oversized body may still be arriving: close the connection rather than read it.
    return respond(res, { status: read.status, body: { error: read.reason } }, { connection: 'close' });
  }
  const { activity } = read;
  if (settings.localMode && !isLoopbackUrl(activity.serviceUrl)) {
    return respond(res, { status: 403, body: { error: 'local mode only answers a loopback serviceUrl' } });
  }
  const authorization = req.headers.authorization ?? '';
  if (!settings.localMode) {
    const problem = tokenProblem(authorization, {
      appId: settings.appId ?? '', issuer: settings.endpoints.channelTokenIssuer, serviceUrl: activity.serviceUrl,
      nowSeconds: Math.floor(deps.clock.now().getTime() / 1000),
    });
    if (problem) {
      logger.info({ reason: problem }, 'refused a Teams request: the token did not validate');
      return respond(res, { status: 401, body: { error: 'unauthorized' } });
    }
  }
  respond(res, await runTurn(deps, connection, authorization, activity));
}
