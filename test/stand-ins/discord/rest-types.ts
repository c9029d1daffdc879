import type { GatewayDispatchPayload } from 'discord-api-types/v10';
import type { RecordedFile } from './call-log.js';
import type { StandInModel } from './stand-in-model.js';

/** A request as a route handler sees it: matched, parsed, already checked against the description. */
export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  files: RecordedFile[];
  /** When the request arrived (Discord's clock for the 3 s interaction window). */
  receivedAt: number;
  /** Problems the handler finds (Discord's rules beyond the schema); they become violations of the call. */
  problems: string[];
}

export interface RestResponse {
  status: number;
  body?: unknown;
}

export type RouteHandler = (request: RestRequest) => RestResponse | Promise<RestResponse>;

/** Routes keyed `METHOD /template`, with templates exactly as in Discord's OpenAPI description. */
export type RouteTable = Record<string, RouteHandler>;

/** What handlers may use: the model, the gateway, addresses and timing rules. */
export interface StandInContext {
  model: StandInModel;
  /** `http://127.0.0.1:<port>` */
  baseUrl(): string;
  gatewayUrl(): string;
  shardCount: number;
  /** How long after INTERACTION_CREATE Discord accepts the first callback (3 s). */
  interactionWindowMs: number;
  /** How long an interaction token works for follow-ups (15 min). */
  interactionTokenMs: number;
  /** Sends a dispatch to the shard of a guild (shard 0 for DMs). */
  dispatch<P extends GatewayDispatchPayload>(t: P['t'], d: P['d'], guildId: string | undefined): void;
}

/** A Discord error response: JSON `{ code, message }` with an HTTP status. `violation` marks a bot mistake. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly violation = false,
  ) {
    super(message);
  }
}

export const unknownChannel = (): RestError => new RestError(404, 10003, 'Unknown Channel');
export const unknownMessage = (): RestError => new RestError(404, 10008, 'Unknown Message');
