import { z } from 'zod';

/** What one opsroom process does in a cluster: hold platform connections, run commands, or both (the default). */
export const PROCESS_ROLES = ['all', 'gateway', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const redisUrl = z.string().refine((value) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'a Redis URL such as redis://redis:6379 or rediss://user:password@host:6380/0');

/**
 * The `cluster` section. Without `redisUrl` (REDIS_URL) opsroom runs in one process exactly as it always did; with
 * it, gateways and workers share the invocation queue and cross-instance events through Redis.
 */
export const clusterConfigSchema = z.object({
  /** `all` (the embedded default), `gateway` or `worker`; `opsroom start --role` and OPSROOM_ROLE set it too. */
  role: z.enum(PROCESS_ROLES).default('all'),
  /** Set from REDIS_URL. */
  redisUrl: redisUrl.optional(),
  /** Every Redis key and channel opsroom uses starts with this, so several deployments (or test runs) share one Redis. */
  keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . and -, at most 64 characters').default('opsroom'),
  /** Invocations one worker runs at once. */
  workerConcurrency: z.number().int().min(1).max(256).default(16),
  /** A command no worker has taken by then is answered and dropped from the queue, never run later. */
  queueTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How long a process counts as alive after its last heartbeat (a second apart). */
  deadAfterMs: z.number().int().min(2_000).max(300_000).default(10_000),
  /** How long a schedule stays with the instance that holds it after its last renewal. */
  scheduleLeaseMs: z.number().int().min(2_000).max(600_000).default(15_000),
  /**
   * How long a gateway that finds no plugin catalog at start waits for a worker to publish one before it connects to
   * chat; until a catalog arrives it knows no plugin command. 0 connects at once.
   */
  catalogWaitMs: z.number().int().min(0).max(600_000).default(30_000),
}).strict();

export type ClusterConfig = z.infer<typeof clusterConfigSchema>;
