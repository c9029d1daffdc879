import { inject, injectable, optional } from 'inversify';
import nodeFetch, { type Response } from 'node-fetch';
import { Logger } from '../../core/logger.js';
import type { SecretBinder } from '../secrets/secret-handles.js';
import { Deadline } from './deadline.js';
import { describeFailure } from './describe-failure.js';
import { DnsResolver, systemResolver } from './dns-resolver.js';
import { validateRequest, type FetchRequest, type ValidRequest } from './fetch-request.js';
import { followRedirect, REDIRECT_STATUSES } from './follow-redirect.js';
import { netDenied } from './net-errors.js';
import { formatBytes } from './net-format.js';
import { normalizeHost } from './normalize-host.js';
import { checkGrant, NetOptions, type NetGrant } from './net-policy.js';
import { validateNetOptions } from './net-options-schema.js';
import { pinnedAgent } from './pinned-agent.js';
import { readCappedBody } from './read-capped-body.js';
import { resolvePinned } from './resolve-pinned.js';

export type { FetchRequest } from './fetch-request.js';

/** What `ctx.fetch` resolves to on the plugin side, before `text()`/`json()` are added there. */
export interface FetchResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The final URL, after redirects. */
  url: string;
  redirected: boolean;
}

type HopResult = { kind: 'redirect'; status: number; location: string } | { kind: 'final'; response: Response; body: Buffer };

/** Mutable facts of one call, so a failure can name the hop it happened on. */
interface CallState {
  url: URL;
  hops: number;
}

/**
 * Performs a plugin's `ctx.fetch` on the host: grant, DNS and address checks on
 * every hop, a connection pinned to the checked address, redirects followed by
 * hand, size caps both ways and one deadline over it all. Secrets enter only
 * request headers, through the binder, after the checks of that hop passed.
 */
@injectable()
export class SafeFetch {
  private readonly resolver: DnsResolver;

  constructor(
    @inject(NetOptions) private readonly options: NetOptions,
    @inject(Logger) private readonly logger: Logger,
    @inject(DnsResolver) @optional() resolver?: DnsResolver,
  ) {
    validateNetOptions(options);
    this.resolver = resolver ?? systemResolver;
  }

  /** Fetches for one plugin; rejects with CapabilityDenied (E_CAPABILITY_DENIED) or NetworkError (E_NET), values redacted. */
  async fetch(grant: NetGrant, request: FetchRequest, secrets: SecretBinder): Promise<FetchResponse> {
    const started = Date.now();
    const valid = validateRequest(request, this.options.maxRequestBytes);
    const state: CallState = { url: valid.url, hops: 0 };
    const deadline = new Deadline(this.options.timeoutMs);
    try {
      const response = await this.follow(grant, valid, secrets, state, deadline);
      this.logger.debug({ method: valid.method, host: state.url.host, status: response.status, hops: state.hops, ms: Date.now() - started }, 'net fetch');
      return response;
    } catch (error) {
      const failure = describeFailure(error, state.url, deadline.expired, this.options.timeoutMs, (text) => secrets.redact(text));
      this.logger.debug({ method: valid.method, host: state.url.host, hops: state.hops, ms: Date.now() - started, code: (failure as { code?: string }).code }, 'net fetch failed');
      throw failure;
    } finally {
      deadline.clear();
    }
  }

  private async follow(grant: NetGrant, first: ValidRequest, secrets: SecretBinder, state: CallState, deadline: Deadline): Promise<FetchResponse> {
    let request = first;
    for (;;) {
      state.url = request.url;
      const result = await this.hop(grant, request, secrets, state.hops > 0, deadline);
      if (result.kind === 'final') return this.toResponse(result, request.url, state.hops > 0, secrets);
      if (state.hops >= this.options.maxRedirects) throw netDenied(`net: more than ${this.options.maxRedirects} redirects`);
      request = followRedirect(request, result.status, result.location);
      state.hops += 1;
    }
  }

  private async hop(grant: NetGrant, request: ValidRequest, secrets: SecretBinder, redirected: boolean, deadline: Deadline): Promise<HopResult> {
    const decision = checkGrant(grant, request.url, redirected);
    if (!decision.allowed) throw netDenied(`net: ${decision.reason}`);
    const pinned = await resolvePinned(request.url, this.options, this.resolver, deadline);
    const headers = secrets.substituteHeaders({ 'user-agent': 'opsroom', ...request.headers }, request.url);
    const agent = pinnedAgent(request.url.protocol, normalizeHost(request.url.hostname).host, pinned);
    try {
      const response = await nodeFetch(request.url.href, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'manual',
        agent,
        signal: deadline.signal,
      });
      const location = response.headers.get('location');
      if (REDIRECT_STATUSES.has(response.status) && location !== null) {
        discard(response);
        return { kind: 'redirect', status: response.status, location };
      }
      return { kind: 'final', response, body: await this.readBody(response) };
    } finally {
      agent.destroy();
    }
  }

  private async readBody(response: Response): Promise<Buffer> {
    const cap = this.options.maxResponseBytes;
    const exceeded = (): Error => netDenied(`net: response exceeded ${formatBytes(cap)} and was stopped`);
    // A declared length counts encoded bytes; only an unencoded body can be judged by it before reading.
    const declared = response.headers.has('content-encoding') ? Number.NaN : Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > cap) {
      discard(response);
      throw exceeded();
    }
    return readCappedBody(response.body, cap, exceeded);
  }

  private toResponse(result: Extract<HopResult, { kind: 'final' }>, url: URL, redirected: boolean, secrets: SecretBinder): FetchResponse {
    const headers: Record<string, string> = {};
    for (const [name, value] of result.response.headers) headers[name] = secrets.redact(value);
    return {
      status: result.response.status,
      headers,
      body: secrets.redact(new TextDecoder('utf-8').decode(result.body)),
      url: secrets.redact(url.href),
      redirected,
    };
  }
}

function discard(response: Response): void {
  const body = response.body as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
  body?.destroy?.();
}
