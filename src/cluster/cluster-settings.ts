import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OpsroomConfig } from '../config/config-schema.js';
import { ConfigError } from '../core/errors.js';
import type { ProcessRole } from './cluster-config-schema.js';

export type { ProcessRole } from './cluster-config-schema.js';

/** How this process takes part in a cluster; bound only when REDIS_URL is set. */
export const ClusterSettings = Symbol('ClusterSettings');
export interface ClusterSettings {
  role: ProcessRole;
  /** Unique per process start: names its inbox, its heartbeat and the messages it owns. */
  nodeId: string;
  redisUrl: string;
  keyPrefix: string;
  /** False for a one-shot command (`opsroom plugin grant`): it tells the others about its changes and takes no work. */
  serves: boolean;
  workerConcurrency: number;
  queueTimeoutMs: number;
  deadAfterMs: number;
  scheduleLeaseMs: number;
  /** How long a gateway waits at start for the first plugin catalog of a worker. */
  catalogWaitMs: number;
}

/** A gateway holds the platform connections and the HTTP server. */
export function holdsConnections(settings: Pick<ClusterSettings, 'role' | 'serves'>): boolean {
  return settings.serves && settings.role !== 'worker';
}

/** A worker holds the sandbox runners and runs invocations from the queue. */
export function runsInvocations(settings: Pick<ClusterSettings, 'role' | 'serves'>): boolean {
  return settings.serves && settings.role !== 'gateway';
}

/**
 * The cluster settings of a process, or undefined when it runs alone (no REDIS_URL). `role` is what `opsroom start`
 * was asked for; a one-shot command passes none. Refuses a role that cannot work with the configuration.
 */
export function clusterSettingsOf(config: OpsroomConfig, role: ProcessRole | undefined): ClusterSettings | undefined {
  const { cluster } = config;
  const effective = role ?? cluster.role;
  if (cluster.redisUrl === undefined) {
    if (role !== undefined && effective !== 'all') {
      throw new ConfigError(`opsroom cannot start as a ${effective} without Redis`, [
        `cluster.redisUrl: missing (expected REDIS_URL, e.g. redis://127.0.0.1:6379: a ${effective} exchanges invocations with the other processes through the Redis queue)`,
      ]);
    }
    return undefined;
  }
  if (role !== undefined && config.storage.databaseUrl === undefined) {
    throw new ConfigError('opsroom in a cluster keeps its state in PostgreSQL', [
      'storage.databaseUrl: missing (expected DATABASE_URL, e.g. postgres://opsroom@db:5432/opsroom: with REDIS_URL set the processes share approvals, grants, roles and the audit log, which a SQLite file on one machine cannot hold for all of them)',
    ]);
  }
  return {
    role: effective, nodeId: newNodeId(role === undefined ? 'tool' : effective), redisUrl: cluster.redisUrl, keyPrefix: cluster.keyPrefix,
    serves: role !== undefined, workerConcurrency: cluster.workerConcurrency, queueTimeoutMs: cluster.queueTimeoutMs,
    deadAfterMs: cluster.deadAfterMs, scheduleLeaseMs: cluster.scheduleLeaseMs, catalogWaitMs: cluster.catalogWaitMs,
  };
}

/** `gateway-web1-3f9a0c`: readable in logs, unique per start. */
export function newNodeId(label: string): string {
  const host = hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 24) || 'host';
  return `${label}-${host}-${randomBytes(3).toString('hex')}`;
}
