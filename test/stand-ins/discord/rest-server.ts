import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog, RecordedFile, StandInCall } from './call-log.js';
import type { OpenApiValidator, RequestUnderCheck } from './openapi-validator.js';
import { RestError, type RestRequest, type RestResponse, type RouteTable } from './rest-types.js';

const API_PREFIX = '/api/v10';

interface ParsedBody {
  check: RequestUnderCheck['body'];
  json: unknown;
  files: RecordedFile[];
  problems: string[];
}

interface RateLimit {
  remaining: number;
  retryAfterSeconds: number;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: RecordedFile[] = [];
  const fields: Record<string, string> = {};
  for (const [field, value] of form) {
    if (typeof value === 'string') fields[field] = value;
    else {
      const data = Buffer.from(await value.arrayBuffer());
      files.push({ field, filename: value.name, contentType: value.type, size: value.size, data, text: data.toString('utf8') });
    }
  }
  const problems: string[] = [];
  let json: unknown = {};
  if (fields.payload_json !== undefined) {
    try {
      json = JSON.parse(fields.payload_json);
    } catch {
      problems.push('payload_json is not valid JSON');
    }
  }
  for (const name of Object.keys(fields)) if (name !== 'payload_json') problems.push(`multipart field ${name} is neither payload_json nor a file`);
  for (const file of files) if (!/^files\[\d+\]$/.test(file.field)) problems.push(`file part ${file.field} is not named files[n]`);
  return { check: { kind: 'multipart', value: json, fileFields: files.map((f) => f.field) }, json, files, problems };
}

async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(request);
  if (raw.length === 0) return { check: { kind: 'none' }, json: undefined, files: [], problems: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  if (!contentType.startsWith('application/json')) {
    return { check: { kind: 'none' }, json: undefined, files: [], problems: [`a body of type ${JSON.stringify(contentType)} (Discord takes JSON or multipart)`] };
  }
  try {
    const json: unknown = JSON.parse(raw.toString('utf8'));
    return { check: { kind: 'json', value: json }, json, files: [], problems: [] };
  } catch {
    return { check: { kind: 'none' }, json: undefined, files: [], problems: ['the body is not valid JSON'] };
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  response.end(text);
}

/** Discord's REST API on loopback: every call checked against the OpenAPI description, recorded, then answered. */
export class RestServer {
  private readonly rateLimits = new Map<string, RateLimit>();
  private sequence = 0;

  constructor(
    private readonly validator: OpenApiValidator,
    private readonly routes: RouteTable,
    private readonly log: CallLog,
    private readonly token: string,
  ) {}

  /** Answers the next `count` calls of a route (`POST /channels/{channel_id}/messages`) with 429. */
  rateLimitNext(route: string, count: number, retryAfterSeconds: number): void {
    if (!this.routes[route]) throw new Error(`the stand-in has no route ${route}; known: ${Object.keys(this.routes).join(', ')}`);
    this.rateLimits.set(route, { remaining: count, retryAfterSeconds });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const receivedAt = Date.now();
    const body = await parseBody(request);
    const authorization = request.headers.authorization;
    const call: StandInCall = {
      seq: ++this.sequence, at: receivedAt, method, path: url.pathname.slice(API_PREFIX.length), route: url.pathname, params: {},
      query: Object.fromEntries(url.searchParams), authorized: authorization === `Bot ${this.token}`, body: body.json,
      files: body.files, status: 0, response: undefined, problems: [...body.problems],
    };
    try {
      const answer = await this.answer(url, method, authorization, body, call);
      call.status = answer.status;
      call.response = answer.body;
      send(response, answer.status, answer.body, answer.headers);
    } catch (error) {
      const failure = error instanceof RestError ? error : new RestError(500, 0, `stand-in failure: ${String(error)}`, true);
      if (failure.violation && call.problems.length === 0) call.problems.push(failure.message);
      call.status = failure.status;
      call.response = { code: failure.code, message: failure.message };
      send(response, failure.status, call.response);
    } finally {
      this.log.add(call);
    }
  }

  private async answer(url: URL, method: string, authorization: string | undefined, body: ParsedBody, call: StandInCall): Promise<RestResponse & { headers?: Record<string, string> }> {
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      call.problems.push(`${url.pathname} is outside ${API_PREFIX}`);
      throw new RestError(404, 0, '404: Not Found', true);
    }
    const checked = this.validator.check({ method, path: call.path, query: url.searchParams, authorization, body: body.check });
    call.params = checked.params;
    if (checked.template) call.route = `${method} ${checked.template}`;
    call.problems.push(...checked.problems);
    const limited = this.takeRateLimit(call.route);
    if (limited) return limited;
    if (!checked.template) throw new RestError(404, 0, '404: Not Found');
    if (!checked.methodAllowed) throw new RestError(405, 0, '405: Method Not Allowed');
    if (call.problems.length > 0) throw new RestError(400, 50035, `Invalid Form Body: ${call.problems.join('; ')}`);
    if (!call.authorized && authorization !== undefined) throw new RestError(401, 0, '401: Unauthorized');
    const handler = this.routes[call.route];
    if (!handler) throw new RestError(404, 0, `the stand-in does not implement ${call.route}`, true);
    const restRequest: RestRequest = {
      method, params: checked.params, query: url.searchParams, body: body.json, files: body.files, problems: call.problems, receivedAt: call.at,
    };
    return handler(restRequest);
  }

  private takeRateLimit(route: string): (RestResponse & { headers: Record<string, string> }) | undefined {
    const limit = this.rateLimits.get(route);
    if (!limit || limit.remaining <= 0) return undefined;
    limit.remaining--;
    const retry = String(limit.retryAfterSeconds);
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: limit.retryAfterSeconds, global: false },
      headers: {
        'retry-after': retry, 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': retry,
        'x-ratelimit-bucket': `stand-in-${route.replace(/\W+/g, '-')}`, 'x-ratelimit-scope': 'user',
      },
    };
  }
}
