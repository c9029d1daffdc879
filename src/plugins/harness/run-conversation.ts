import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { RunbookRunner } from '../../capabilities/runbooks/runbook-runner.js';
import { SafeFetch } from '../../capabilities/net/safe-fetch.js';
import { validateConfig } from '../../config/load-config.js';
import { createLogger } from '../../core/logger.js';
import { OpsroomApp } from '../../di/opsroom-app.js';
import { PluginManager } from '../plugin-manager.js';
import { readPluginFolder } from '../plugin-source.js';
import type { Conversation } from './conversation-schema.js';
import { RecordingAdapter } from './recording-adapter.js';
import { ScriptedFetch } from './scripted-fetch.js';
import { ScriptedRunbooks } from './scripted-runbooks.js';
import { checkStep, runStep } from './conversation-steps.js';

export interface ConversationReport {
  name: string;
  passed: boolean;
  failures: string[];
}

/**
 * Loads one plugin folder into the real sandbox inside a throw-away opsroom (SQLite in a temp folder, the real
 * router, gate and capability checks), plays a scripted conversation and reports every difference.
 */
export async function runConversation(pluginDir: string, conversation: Conversation): Promise<ConversationReport> {
  const read = readPluginFolder(pluginDir, false);
  if (!read.ok) return { name: conversation.name, passed: false, failures: read.problems };
  const plugin = read.plugin.manifest;
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-plugin-test-'));
  const secretEnv = Object.keys(conversation.secrets).map((name) => [name, `OPSROOM_PLUGIN_TEST_${name}`] as const);
  for (const [name, variable] of secretEnv) process.env[variable] = conversation.secrets[name];
  const fetch = new ScriptedFetch(conversation.http);
  const runbooks = new ScriptedRunbooks(conversation.runbooks);
  const adapter = new RecordingAdapter();
  const failures: string[] = [];
  let app: OpsroomApp | undefined;
  try {
    const config = validateConfig({
      storage: { sqlitePath: join(dir, 'opsroom.db') },
      http: { enabled: false },
      adapters: { local: { enabled: false } },
      plugins: { bundled: false, paths: [pluginDir], installDir: join(dir, 'plugins'), grants: { [plugin.name]: conversation.grants }, config: { [plugin.name]: conversation.config } },
      channels: Object.fromEntries((plugin.capabilities.post ?? []).map((alias) => [alias, { local: `local:channel:${alias}` }])),
      secrets: Object.fromEntries(secretEnv.map(([name, variable]) => [name, { env: variable }])),
      approvals: { risk: conversation.commandRisk },
      runbooks: Object.fromEntries((plugin.capabilities.runbooks ?? []).map((name) => [name, { argv: ['scripted-by-the-plugin-harness'], risk: conversation.runbookRisk[name] ?? 'low' }])),
    }, 'the plugin test configuration');
    const swap = new ContainerModule(({ rebind }) => {
      rebind(SafeFetch).toConstantValue(fetch as unknown as SafeFetch);
      rebind(RunbookRunner).toConstantValue(runbooks);
    });
    app = await OpsroomApp.start({ config, logger: createLogger({ level: 'silent' }), adapters: [adapter], http: false, extraModules: [swap] });
    const status = app.get<PluginManager>(PluginManager).info(plugin.name);
    if (status?.state !== 'loaded') {
      failures.push(`${plugin.name} did not load: ${status?.problems.join('; ') ?? 'not found'}`);
    } else {
      for (const [index, step] of conversation.steps.entries()) {
        const before = adapter.messages.length;
        const outcome = await runStep(app, adapter, plugin.name, step, index);
        failures.push(...checkStep(step, index, adapter.messages.slice(before), outcome));
      }
    }
  } catch (error) {
    failures.push(`the harness failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await app?.stop().catch(() => undefined);
    for (const [, variable] of secretEnv) delete process.env[variable];
    rmSync(dir, { recursive: true, force: true });
  }
  failures.push(...fetch.problems, ...runbooks.problems);
  for (const left of fetch.remaining()) failures.push(`expected request never made: ${left.request.method} ${left.request.url}`);
  for (const left of runbooks.remaining()) failures.push(`expected runbook never run: ${left.name}`);
  return { name: conversation.name, passed: failures.length === 0, failures };
}
