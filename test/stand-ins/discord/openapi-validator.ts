import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** One REST request as the stand-in received it, reduced to what the OpenAPI description speaks about. */
export interface RequestUnderCheck {
  method: string;
  /** The path after `/api/v10`, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'multipart'; value: unknown; fileFields: string[] };
}

/** Where a request landed in the description, and what it did wrong (empty when it conforms). */
export interface CheckResult {
  /** The path template, e.g. `/channels/{channel_id}/messages`; undefined when no path matches. */
  template: string | undefined;
  /** False when the path exists but not with this method. */
  methodAllowed: boolean;
  params: Record<string, string>;
  problems: string[];
}

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  security?: Array<Record<string, unknown>>;
}

interface PathEntry {
  template: string;
  segments: string[];
  literals: number;
  parameters: Parameter[];
  operations: Map<string, Operation>;
}

const ROOT_ID = 'https://discord-stand-in.local/openapi';
const SPEC_FILE = new URL('./openapi/discord-openapi.json', import.meta.url);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
const INT32 = 2 ** 31;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Rewrites `#/components/schemas/X` into the `$defs` of one root schema, which is how ajv's strict mode accepts the document. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string'
      ? value.replace('#/components/schemas/', `${ROOT_ID}#/$defs/`)
      : rewriteRefs(value);
  }
  return out;
}

function createAjv(schemas: Json): Ajv2020 {
  // Compile speed matters (every test process pays it): the description is Discord's own, so it is not checked against
  // the meta-schema, and shared definitions compile once as functions of their own instead of inline in every operation.
  const ajv = new Ajv2020({ strict: true, validateFormats: true, validateSchema: false, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.addKeyword('x-discord-union');
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]{0,19})$/);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('nonce', { type: 'string', validate: () => true });
  ajv.addSchema({ $id: ROOT_ID, $defs: schemas });
  return ajv;
}

/** The most specific messages first (deepest path), since a failed `oneOf` also reports every branch it tried. */
function describeErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  const sorted = [...(errors ?? [])].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  const lines = sorted.map((e) => {
    const allowed = 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : '';
    return `${where}${e.instancePath} ${e.message ?? 'is invalid'}${allowed}`;
  });
  return [...new Set(lines)].slice(0, 5);
}

/** Converts a query or path string to the type its schema asks for, as Discord's server does. */
function coerce(raw: string, schema: Json): unknown {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'integer' || type === 'number') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return raw;
}

/**
 * Discord's official OpenAPI description, compiled with ajv 8 (JSON Schema 2020-12). Request schemas are compiled
 * on first use and kept for the process, so the first stand-in pays the compile cost and the rest share it.
 */
export class OpenApiValidator {
  private static shared: OpenApiValidator | undefined;
  private readonly ajv: Ajv2020;
  private readonly paths: PathEntry[];
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(spec: { paths: Record<string, Json>; components: { schemas: Json } }) {
    const rewritten = rewriteRefs(spec) as typeof spec;
    this.ajv = createAjv(rewritten.components.schemas);
    this.paths = Object.entries(rewritten.paths).map(([template, item]) => this.entryOf(template, item));
  }

  static load(): OpenApiValidator {
    OpenApiValidator.shared ??= new OpenApiValidator(JSON.parse(readFileSync(SPEC_FILE, 'utf8')));
    return OpenApiValidator.shared;
  }

  /** Checks route, method, authorization, parameters and body against the description. */
  check(request: RequestUnderCheck): CheckResult {
    const found = this.match(request.path);
    if (!found) return { template: undefined, methodAllowed: false, params: {}, problems: [`no route ${request.path} in Discord's API`] };
    const { entry, params } = found;
    const operation = entry.operations.get(request.method.toLowerCase());
    if (!operation) {
      const allowed = [...entry.operations.keys()].map((m) => m.toUpperCase()).join(', ');
      return { template: entry.template, methodAllowed: false, params, problems: [`${request.method} is not allowed on ${entry.template} (allowed: ${allowed})`] };
    }
    const key = `${request.method.toUpperCase()} ${entry.template}`;
    const parameters = [...entry.parameters, ...(operation.parameters ?? [])];
    const problems = [
      ...this.checkAuthorization(operation, request.authorization),
      ...this.checkPathParams(key, parameters, params),
      ...this.checkQuery(key, parameters, request.query),
      ...this.checkBody(key, operation, request.body),
    ];
    return { template: entry.template, methodAllowed: true, params, problems };
  }

  /** The template a path falls under, literal segments winning over parameters (`/@me` before `/{user_id}`). */
  match(path: string): { entry: PathEntry; params: Record<string, string> } | undefined {
    const segments = path.split('/').slice(1);
    let best: { entry: PathEntry; params: Record<string, string> } | undefined;
    for (const entry of this.paths) {
      if (entry.segments.length !== segments.length) continue;
      const params = matchSegments(entry.segments, segments);
      if (params && (!best || compareSpecificity(entry, best.entry) > 0)) best = { entry, params };
    }
    return best;
  }

  private entryOf(template: string, item: Json): PathEntry {
    const segments = template.split('/').slice(1);
    const operations = new Map<string, Operation>();
    for (const method of METHODS) if (item[method]) operations.set(method, item[method] as Operation);
    return {
      template, segments, literals: segments.filter((s) => !s.startsWith('{')).length,
      parameters: (item.parameters as Parameter[] | undefined) ?? [], operations,
    };
  }

  private checkAuthorization(operation: Operation, authorization: string | undefined): string[] {
    const security = operation.security ?? [];
    const optional = security.length === 0 || security.some((s) => Object.keys(s).length === 0);
    if (optional) return [];
    if (authorization === undefined) return ['the route needs an Authorization header (a bot token) and none was sent'];
    if (!authorization.startsWith('Bot ')) return ['the Authorization header is not of the form "Bot <token>"'];
    return [];
  }

  private checkPathParams(key: string, parameters: Parameter[], params: Record<string, string>): string[] {
    return parameters.filter((p) => p.in === 'path').flatMap((p) => {
      const raw = params[p.name];
      if (raw === undefined) return [`path parameter ${p.name} is missing`];
      return this.runSchema(`${key} path ${p.name}`, p.schema, coerce(raw, p.schema), `path parameter ${p.name}`);
    });
  }

  private checkQuery(key: string, parameters: Parameter[], query: URLSearchParams): string[] {
    const declared = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const [name, raw] of query) {
      const parameter = declared.get(name);
      if (!parameter) problems.push(`query parameter ${name} is not defined for this route`);
      else problems.push(...this.runSchema(`${key} query ${name}`, parameter.schema, coerce(raw, parameter.schema), `query ${name}`));
    }
    for (const parameter of declared.values()) {
      if (parameter.required && !query.has(parameter.name)) problems.push(`query parameter ${parameter.name} is required`);
    }
    return problems;
  }

  private checkBody(key: string, operation: Operation, body: RequestUnderCheck['body']): string[] {
    const request = operation.requestBody;
    if (body.kind === 'none') return request?.required ? ['the route needs a request body and none was sent'] : [];
    if (!request) return ['the route takes no request body, but one was sent'];
    const mediaType = body.kind === 'json' ? 'application/json' : 'multipart/form-data';
    const content = request.content[mediaType];
    if (!content) return [`the route does not accept ${mediaType}`];
    const value = body.kind === 'multipart'
      ? { ...(body.value as Json), ...Object.fromEntries(body.fileFields.map((f) => [f, 'binary'])) }
      : body.value;
    return this.runSchema(`${key} ${mediaType}`, content.schema, value, 'body');
  }

  private runSchema(cacheKey: string, schema: Json, value: unknown, where: string): string[] {
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validate);
    }
    return validate(value) ? [] : describeErrors(validate.errors, where);
  }
}

function matchSegments(template: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i] as string;
    const segment = actual[i] as string;
    if (expected.startsWith('{')) {
      if (segment.length === 0) return undefined;
      params[expected.slice(1, -1)] = safeDecode(segment);
    } else if (expected !== safeDecode(segment)) {
      return undefined;
    }
  }
  return params;
}

/** Positive when `a` is more specific than `b`: more literal segments, and the first literal earlier. */
function compareSpecificity(a: PathEntry, b: PathEntry): number {
  if (a.literals !== b.literals) return a.literals - b.literals;
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = !(a.segments[i] as string).startsWith('{');
    const bLiteral = !(b.segments[i] as string).startsWith('{');
    if (aLiteral !== bLiteral) return aLiteral ? 1 : -1;
  }
  return 0;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
