import { z } from 'zod';
import { ALLOWED_METHODS } from '../capabilities/net/fetch-request.js';
import { argSchema } from '../plugins/plugin-manifest.js';
import { validateArgSpecs } from '../routing/arg-schema.js';
import { referencesOf, templateProblems, type TemplateScope } from './command-template.js';

/** The owner of configuration commands in the registry, the audit log and help. */
export const CONFIG_COMMANDS_OWNER = 'config';

const COMMAND_NAME = /^[a-z][a-z0-9-]{0,31}( [a-z][a-z0-9-]{0,31})?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const HTTP_ROOTS = ['status', 'body', 'json', 'headers'];
const RUNBOOK_ROOTS = ['exitCode', 'stdout', 'stderr'];

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const jsonValue: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

const httpSchema = z.object({
  method: z.string().transform((m) => m.toUpperCase()).pipe(z.enum(ALLOWED_METHODS)).default('GET'),
  /** http(s) URL; `{{...}}` may stand in the path and query, never in the scheme, host or port. */
  url: z.string().min(1).max(2000),
  /** Header values may hold `{{secret.NAME}}`: the host substitutes the value only for the URL's host. */
  headers: z.record(z.string().regex(HEADER_NAME, 'a header name such as authorization'), z.string().max(2000)).default({}),
  /** A JSON body; string leaves are templates, and a leaf that is one reference keeps its type. */
  json: jsonValue.optional(),
  /** A text body (a template). */
  body: z.string().max(100_000).optional(),
}).strict().refine((h) => h.json === undefined || h.body === undefined, { message: 'has both json and body (expected one of them)' });

const runbookSchema = z.object({
  /** A runbook of the `runbooks` section. */
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a runbook name such as restart-app'),
  /** Runbook parameters; string values are templates, and a value that is one reference keeps its type. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
}).strict();

const commandFields = z.object({
  description: z.string().min(1).max(200),
  usage: z.string().max(200).optional(),
  args: z.array(argSchema).default([]),
  aliases: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lower-case alias')).optional(),
  permission: z.string().regex(/^[a-z][a-z0-9:_.-]*$/i, 'a permission such as status:read').optional(),
  risk: z.enum(['low', 'medium', 'high']).default('low'),
  http: httpSchema.optional(),
  runbook: runbookSchema.optional(),
  /** The answer on success (a template); by default the response body or the runbook's output. */
  reply: z.string().max(4000).optional(),
  /** The answer when the call fails (HTTP status 400 or more, a runbook that exits non-zero); the run counts as failed. */
  failure: z.string().max(4000).optional(),
}).strict();

const commandSchema = commandFields.superRefine(checkCommand);

/** The `commands` section: chat commands backed by a runbook or an HTTP call, keyed by the name people type. */
export const configCommandsSchema = z.record(z.string().regex(COMMAND_NAME, 'a lower-case command name, optionally two words such as "status page"'), commandSchema);

export type ConfigCommandDefinition = z.infer<typeof commandSchema>;
export type ConfigCommandsConfig = z.infer<typeof configCommandsSchema>;
export type HttpAction = z.infer<typeof httpSchema>;
export type RunbookAction = z.infer<typeof runbookSchema>;

type Ctx = z.RefinementCtx;

function checkCommand(command: z.infer<typeof commandFields>, ctx: Ctx): void {
  for (const problem of validateArgSpecs(command.args as never)) ctx.addIssue({ code: 'custom', path: ['args'], message: problem });
  if ((command.http === undefined) === (command.runbook === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs exactly one action (expected http or runbook, not both)' });
    return;
  }
  const args = command.args.map((a) => a.name);
  const request: TemplateScope = { args, roots: [] };
  const answer: TemplateScope = { args, roots: command.http ? HTTP_ROOTS : RUNBOOK_ROOTS };
  if (command.http) checkHttp(command.http, args, ctx);
  if (command.runbook) {
    for (const [name, value] of Object.entries(command.runbook.params)) {
      if (typeof value === 'string') report(ctx, ['runbook', 'params', name], templateProblems(value, request));
    }
  }
  if (command.reply !== undefined) report(ctx, ['reply'], templateProblems(command.reply, answer));
  if (command.failure !== undefined) report(ctx, ['failure'], templateProblems(command.failure, answer));
}

function checkHttp(http: HttpAction, args: string[], ctx: Ctx): void {
  const scope: TemplateScope = { args, roots: [] };
  report(ctx, ['http', 'url'], [...templateProblems(http.url, scope), ...urlProblems(http.url)]);
  for (const [name, value] of Object.entries(http.headers)) {
    report(ctx, ['http', 'headers', name], templateProblems(value, { args, roots: ['secret'] }));
  }
  if (http.body !== undefined) report(ctx, ['http', 'body'], templateProblems(http.body, scope));
  if (http.json !== undefined) for (const leaf of stringLeaves(http.json)) report(ctx, ['http', 'json'], templateProblems(leaf, scope));
  if ((http.method === 'GET' || http.method === 'HEAD') && (http.body !== undefined || http.json !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['http', 'method'], message: `a ${http.method} request cannot have a body (expected POST, PUT, PATCH or DELETE with json or body)` });
  }
}

/** The scheme, host and port of a URL template: references may stand only after them. */
export function urlOrigin(template: string): URL | undefined {
  const origin = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(template)?.[1];
  if (origin === undefined || origin.includes('{{')) return undefined;
  try {
    return new URL(template.replace(/\{\{[^}]*\}\}/g, 'x'));
  } catch {
    return undefined;
  }
}

function urlProblems(template: string): string[] {
  const url = urlOrigin(template);
  if (!url) return ['is not a usable URL (expected an absolute http(s) URL whose scheme, host and port are written out; references may stand in the path and query only)'];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`uses ${url.protocol} (expected http: or https:)`];
  if (url.username !== '' || url.password !== '') return ['carries a user name or password (expected credentials in a header, with {{secret.NAME}})'];
  return [];
}

/** The host (with a non-default port) a command's requests and secrets are bound to, as a grant entry. */
export function grantHostOf(http: HttpAction): string {
  const url = urlOrigin(http.url);
  if (!url) throw new TypeError(`not a checked URL template: ${http.url}`);
  return url.host;
}

/** Secret names a command's headers use. */
export function secretsOf(http: HttpAction | undefined): string[] {
  if (!http) return [];
  const names = Object.values(http.headers).flatMap((v) => referencesOf(v)).filter((p) => p[0] === 'secret').map((p) => p[1] as string);
  return [...new Set(names)].sort();
}

function stringLeaves(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}

function report(ctx: Ctx, path: Array<string | number>, problems: string[]): void {
  for (const message of problems) ctx.addIssue({ code: 'custom', path, message });
}
