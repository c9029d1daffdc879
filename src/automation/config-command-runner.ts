import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import { CapabilityDeniedError } from '../capabilities/net/net-errors.js';
import { SafeFetch, type FetchResponse } from '../capabilities/net/safe-fetch.js';
import { RunbookDefinitions, RunbookRunner, type RunbookResult } from '../capabilities/runbooks/runbook-runner.js';
import type { CommandResult, Invocation } from '../core/command.js';
import { OpsroomError, UserError } from '../core/errors.js';
import { CONFIG_COMMANDS_OWNER, type HttpAction, type RunbookAction } from './config-command-schema.js';
import { lookup, render, soleReference, type TemplateValues } from './command-template.js';
import type { PreparedCommand } from './prepared-command.js';

/** Replies are cut here, so one chatty endpoint cannot flood a channel. */
const MAX_REPLY = 3500;
const EXCERPT = 300;

/** Runs a command of the `commands` section: its HTTP call or runbook, then its reply template. */
export const ConfigCommandRunner = Symbol('ConfigCommandRunner');
export interface ConfigCommandRunner {
  /** Resolves to the reply; throws UserError E_CONFIG_COMMAND when the call failed, E_CAPABILITY_DENIED or E_NET from the network rules. */
  run(command: PreparedCommand, invocation: Invocation): Promise<CommandResult>;
}

@injectable()
export class ConfigCommandRunnerImpl implements ConfigCommandRunner {
  constructor(
    @inject(SafeFetch) private readonly safeFetch: SafeFetch,
    @inject(RunbookRunner) private readonly runbooks: RunbookRunner,
    @inject(RunbookDefinitions) private readonly runbookDefinitions: RunbookDefinitions,
    @inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async run(command: PreparedCommand, invocation: Invocation): Promise<CommandResult> {
    const base: TemplateValues = {
      args: invocation.args,
      user: { name: invocation.actor.name, id: invocation.actor.id },
      channel: { name: invocation.channel.name ?? invocation.channel.id, id: invocation.channel.id },
    };
    const { definition } = command;
    if (definition.http) return this.http(command, definition.http, base, invocation);
    if (definition.runbook) return this.runbook(command, definition.runbook, base, invocation);
    throw new OpsroomError('E_INTERNAL', `command ${command.name} has neither http nor runbook`);
  }

  private async http(command: PreparedCommand, http: HttpAction, base: TemplateValues, invocation: Invocation): Promise<CommandResult> {
    const url = render(http.url, base, encodeURIComponent);
    const headerValues = { ...base, secret: command.handles.placeholders() };
    const headers = Object.fromEntries(Object.entries(http.headers).map(([name, value]) => [name, render(value, headerValues)]));
    const body = http.json !== undefined ? JSON.stringify(renderJson(http.json, base)) : http.body === undefined ? undefined : render(http.body, base);
    if (http.json !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const binder = command.handles.binderFor(new URL(url));
    const host = new URL(url).host;
    let response: FetchResponse;
    try {
      response = await this.safeFetch.fetch(command.grant, { url, init: { method: http.method, headers, ...(body === undefined ? {} : { body }) } }, binder);
    } catch (error) {
      if (error instanceof CapabilityDeniedError) await this.record(invocation, 'capability.denied', { capability: 'fetch', host, reason: error.message });
      throw error;
    }
    // Not `secrets`: the audit log redacts every key that looks like one, and these are only names.
    await this.record(invocation, 'capability.used', { capability: 'fetch', host, method: http.method, status: response.status, substituted: binder.usedSecrets() });
    const values = { ...base, status: response.status, body: response.body, json: parseJson(response.body), headers: response.headers };
    if (response.status >= 400) {
      throw this.failure(command, values, `${host} answered HTTP ${response.status}${excerpt(response.body)}`);
    }
    return this.reply(command, values, response.body.trim() || `HTTP ${response.status}`);
  }

  private async runbook(command: PreparedCommand, action: RunbookAction, base: TemplateValues, invocation: Invocation): Promise<CommandResult> {
    const risk = this.runbookDefinitions[action.name]?.risk ?? 'low';
    if (risk === 'high' && !invocation.approval) {
      throw new CapabilityDeniedError(`runbook ${action.name} is high-risk and runs only inside an approved command; this call of ${command.name} was not approved`);
    }
    const result = await this.runbooks.run(action.name, renderParams(action.params, base));
    await this.record(invocation, 'capability.used', { capability: 'runbook', runbook: action.name, exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs });
    const values = { ...base, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    const problem = runbookProblem(action.name, result);
    if (problem !== undefined) throw this.failure(command, values, problem);
    return this.reply(command, values, result.stdout.trim() || `${command.name} done (runbook ${action.name} exited 0).`);
  }

  private reply(command: PreparedCommand, values: TemplateValues, fallback: string): string {
    const text = command.definition.reply === undefined ? fallback : render(command.definition.reply, values);
    return cut(text.trim() === '' ? `${command.name} done.` : text);
  }

  private failure(command: PreparedCommand, values: TemplateValues, what: string): UserError {
    const text = command.definition.failure === undefined ? `${command.name} failed: ${what}` : render(command.definition.failure, values);
    return new UserError('E_CONFIG_COMMAND', cut(text));
  }

  private async record(invocation: Invocation, action: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.append({
      action, actor: invocation.actor.id, platform: invocation.platform, channel: invocation.channel.id, command: invocation.command,
      invocationId: invocation.id, detail: { plugin: CONFIG_COMMANDS_OWNER, trigger: 'command', ...detail },
    });
  }
}

function runbookProblem(name: string, result: RunbookResult): string | undefined {
  if (result.timedOut) return `runbook ${name} took too long and was stopped`;
  if (result.exitCode === null) return `runbook ${name} was ended by ${result.signal ?? 'a signal'}`;
  if (result.exitCode !== 0) return `runbook ${name} exited ${result.exitCode}${excerpt(result.stderr || result.stdout)}`;
  return undefined;
}

/** Runbook parameters: a value that is one reference keeps its type, and is left out when absent (so the default applies). */
function renderParams(params: RunbookAction['params'], values: TemplateValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') {
      out[name] = value;
      continue;
    }
    const sole = soleReference(value);
    const typed = sole === undefined ? render(value, values) : lookup(values, sole);
    if (typed !== undefined && typed !== null) out[name] = typeof typed === 'object' ? JSON.stringify(typed) : typed;
  }
  return out;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON body template: string leaves rendered; a leaf that is one reference keeps its type, null when absent. */
function renderJson(value: unknown, values: TemplateValues): unknown {
  if (typeof value === 'string') {
    const sole = soleReference(value);
    if (sole === undefined) return render(value, values);
    return (lookup(values, sole) as Json | undefined) ?? null;
  }
  if (Array.isArray(value)) return value.map((v) => renderJson(v, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, values)]));
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '';
  return `: ${flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat}`;
}

function cut(text: string): string {
  return text.length <= MAX_REPLY ? text : `${text.slice(0, MAX_REPLY)}\n… (cut at ${MAX_REPLY} characters)`;
}
