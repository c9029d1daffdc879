import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { Logger } from '../core/logger.js';
import type { Platform } from '../core/identity.js';
import { Messenger } from '../routing/messenger.js';
import type { CapabilityCall, CapabilityHandler } from '../sandbox/sandbox-host.js';
import { expectRecord, expectString, toMessage } from './capability-args.js';
import type { CapabilityScope } from './capability-scope.js';
import { failedForLog, postFailure } from './post-failure.js';
import { SafeFetch } from './net/safe-fetch.js';
import { CapabilityDeniedError } from './net/net-errors.js';
import { RunbookRunner } from './runbooks/runbook-runner.js';
import { Scheduler } from './schedule/scheduler.js';
import { PluginKvStore } from './storage/plugin-kv-store.js';

/**
 * The host side of `ctx`: every capability call from a sandbox lands here, is checked against the plugin's grants,
 * carried out, and audited. A call to something not granted fails with `CapabilityDenied` naming the grant.
 */
export const CapabilityBroker = Symbol('CapabilityBroker');
export interface CapabilityBroker {
  handlerFor(scope: CapabilityScope): CapabilityHandler;
}

@injectable()
export class CapabilityBrokerImpl implements CapabilityBroker {
  constructor(
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Messenger) private readonly messenger: Messenger,
    @inject(SafeFetch) private readonly safeFetch: SafeFetch,
    @inject(PluginKvStore) private readonly kv: PluginKvStore,
    @inject(RunbookRunner) private readonly runbooks: RunbookRunner,
    @inject(Scheduler) private readonly scheduler: Scheduler,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  handlerFor(scope: CapabilityScope): CapabilityHandler {
    return async (call) => {
      try {
        return await this.dispatch(scope, call);
      } catch (error) {
        if (error instanceof CapabilityDeniedError) await this.record(scope, 'capability.denied', call, { reason: error.message });
        throw error;
      }
    };
  }

  private dispatch(scope: CapabilityScope, call: CapabilityCall): Promise<unknown> {
    switch (call.capability) {
      case 'reply': return this.reply(scope, call);
      case 'post': return this.post(scope, call);
      case 'fetch': return this.fetch(scope, call);
      case 'secret': return this.record(scope, 'capability.denied', call, { reason: `secret ${String(call.args[0])} was not granted` });
      case 'storage': return this.storage(scope, call);
      case 'runbook': return this.runbook(scope, call);
      case 'schedule': return this.schedule(scope, call);
      case 'log': return this.log(scope, call);
      default: throw new CapabilityDeniedError(`unknown capability ${String((call as { capability: unknown }).capability)}`);
    }
  }

  private async reply(scope: CapabilityScope, call: CapabilityCall): Promise<void> {
    const { invocation } = scope;
    if (!invocation) throw new CapabilityDeniedError('reply: there is no conversation to answer in a webhook or schedule; use ctx.post(alias, message)');
    await this.messenger.reply(invocation.platform, invocation.source, toMessage(call.args[0], 'reply message'));
  }

  private async post(scope: CapabilityScope, call: CapabilityCall): Promise<void> {
    const alias = expectString(call.args[0], 'post alias', 64);
    if (!scope.grants.post.includes(alias)) throw denied(scope, `post:${alias}`);
    const targets = this.config.channels[alias];
    if (!targets || Object.keys(targets).length === 0) {
      throw new CapabilityDeniedError(`post: the channel alias ${alias} is not mapped to any channel; add channels.${alias} to the configuration`);
    }
    const message = toMessage(call.args[1], 'post message');
    const running = new Set(this.messenger.adapters().map((a) => a.platform));
    const sent = Object.entries(targets).filter(([platform]) => running.has(platform as Platform));
    if (sent.length === 0) throw new CapabilityDeniedError(`post: no adapter is running for the channels of ${alias} (${Object.keys(targets).join(', ')})`);
    const results = await Promise.allSettled(sent.map(([platform, channel]) => this.messenger.send(platform as Platform, channel, message)));
    const delivered = sent.filter((_, i) => results[i]?.status === 'fulfilled').map(([platform]) => platform);
    const failed = sent.flatMap(([platform, channel], i) => {
      const result = results[i];
      return result?.status === 'rejected' ? [{ platform, channel, error: result.reason as unknown }] : [];
    });
    await this.record(scope, 'capability.used', call, { alias, ...(failed.length > 0 ? { delivered, failed: failed.map((f) => f.platform) } : {}) });
    if (failed.length > 0) {
      this.logger.warn({ plugin: scope.plugin, alias, failed: failedForLog(failed) }, 'a plugin post did not reach every channel');
      throw postFailure(alias, failed, delivered);
    }
  }

  private async fetch(scope: CapabilityScope, call: CapabilityCall): Promise<unknown> {
    const url = expectString(call.args[0], 'fetch url', 8192);
    const init = expectRecord(call.args[1], 'fetch init');
    if (scope.grants.net.length === 0) throw denied(scope, 'net:<host>');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CapabilityDeniedError(`net: ${JSON.stringify(url.slice(0, 200))} is not a URL`);
    }
    const binder = scope.handles.binderFor(parsed);
    const response = await this.safeFetch.fetch({ hosts: scope.grants.net }, { url, init: init as never }, binder);
    await this.record(scope, 'capability.used', call, { host: parsed.host, method: typeof init.method === 'string' ? init.method : 'GET', status: response.status, secrets: binder.usedSecrets() });
    return response;
  }

  private async storage(scope: CapabilityScope, call: CapabilityCall): Promise<unknown> {
    if (!scope.grants.storage) throw denied(scope, 'storage');
    const [key, value] = call.args;
    switch (call.method) {
      case 'get': return (await this.kv.get(scope.plugin, expectString(key, 'storage key', 256))) ?? null;
      case 'set': return this.kv.set(scope.plugin, expectString(key, 'storage key', 256), value, scope.grants.storage.quotaKb * 1024);
      case 'delete': return this.kv.delete(scope.plugin, expectString(key, 'storage key', 256));
      case 'list': return this.kv.list(scope.plugin, key === undefined || key === null ? '' : expectString(key, 'storage prefix', 256));
      default: throw new CapabilityDeniedError(`storage has no method ${call.method}`);
    }
  }

  private async runbook(scope: CapabilityScope, call: CapabilityCall): Promise<unknown> {
    const name = expectString(call.args[0], 'runbook name', 64);
    if (!scope.grants.runbooks.includes(name)) throw denied(scope, `runbooks:${name}`);
    const risk = this.config.runbooks[name]?.risk ?? 'low';
    if (risk === 'high' && !scope.invocation?.approval) {
      throw new CapabilityDeniedError(`runbook ${name} is high-risk and runs only inside an approved command; this call was not approved`);
    }
    const result = await this.runbooks.run(name, expectRecord(call.args[1], 'runbook params'));
    await this.record(scope, 'capability.used', call, { runbook: name, exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, truncated: result.truncated, timedOut: result.timedOut };
  }

  private async schedule(scope: CapabilityScope, call: CapabilityCall): Promise<unknown> {
    if (!scope.grants.schedule) throw denied(scope, 'schedule');
    const name = expectString(call.args[0], 'schedule name', 64);
    if (call.method === 'unschedule') return this.scheduler.remove(scope.plugin, name);
    await this.scheduler.add(scope.plugin, name, expectString(call.args[1], 'cron expression', 128));
    await this.record(scope, 'capability.used', call, { schedule: name, cron: call.args[1] });
    return undefined;
  }

  private async log(scope: CapabilityScope, call: CapabilityCall): Promise<void> {
    const level = call.method === 'warn' || call.method === 'error' ? call.method : 'info';
    const message = typeof call.args[0] === 'string' ? call.args[0].slice(0, 2000) : String(call.args[0]).slice(0, 2000);
    const fields = expectRecord(call.args[1], 'log fields');
    this.logger[level]({ plugin: scope.plugin, invocation: scope.invocation?.id, fields }, `plugin: ${message}`);
  }

  private async record(scope: CapabilityScope, action: string, call: CapabilityCall, detail: Record<string, unknown>): Promise<void> {
    await this.audit.append({
      action, actor: scope.invocation?.actor.id ?? 'system', platform: scope.invocation?.platform, channel: scope.invocation?.channel.id,
      command: scope.invocation?.command, invocationId: scope.invocation?.id,
      detail: { plugin: scope.plugin, capability: call.capability, method: call.method, trigger: scope.trigger, ...detail },
    });
  }
}

function denied(scope: CapabilityScope, grant: string): CapabilityDeniedError {
  return new CapabilityDeniedError(`${scope.plugin} was not granted ${grant}; an admin can grant it with \`plugin grant ${scope.plugin} ${grant}\``);
}
