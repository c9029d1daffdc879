import type { PluginManager } from '../plugins/plugin-manager.js';
import type { SandboxEntry } from '../sandbox/sandbox-host.js';
import { NotReadyError } from './job-protocol.js';
import type { JobHandler } from './job-runner.js';

/** A plugin change asked for on a gateway, made by a worker (which tells the others). */
export type PluginAdminRequest =
  | { op: 'grant' | 'revoke'; name: string; grant: string; actor: string }
  | { op: 'setEnabled'; name: string; enabled: boolean; actor: string }
  | { op: 'reload' | 'remove'; name: string }
  | { op: 'add'; dir: string };

/** A webhook or schedule event for a plugin, delivered by a worker that has it loaded. */
export interface PluginEventJob {
  plugin: string;
  entry: Exclude<SandboxEntry, { kind: 'command' }>;
  payload: unknown;
}

export function pluginAdminHandler(plugins: PluginManager): JobHandler {
  return {
    async prepare(payload: unknown) {
      const request = payload as PluginAdminRequest;
      return async () => {
        switch (request.op) {
          case 'grant': return plugins.grant(request.name, request.grant, request.actor);
          case 'revoke': return plugins.revoke(request.name, request.grant, request.actor);
          case 'setEnabled': return plugins.setEnabled(request.name, request.enabled, request.actor);
          case 'reload': return plugins.reload(request.name);
          case 'remove': return plugins.remove(request.name);
          case 'add': return plugins.add(request.dir);
        }
      };
    },
  };
}

export function pluginEventHandler(plugins: PluginManager): JobHandler {
  return {
    async prepare(payload: unknown) {
      const job = payload as PluginEventJob;
      if (plugins.info(job.plugin)?.state !== 'loaded') throw new NotReadyError(`the plugin ${job.plugin} is not loaded on this worker`);
      return () => plugins.deliver(job.plugin, job.entry, job.payload);
    },
  };
}
