import { z } from 'zod';
import { approvalsConfigSchema } from '../approvals/approvals-config-schema.js';
import { clusterConfigSchema } from '../cluster/cluster-config-schema.js';
import { configCommandsSchema } from '../automation/config-command-schema.js';
import { netOptionsSchema } from '../capabilities/net/net-options-schema.js';
import { runbooksSchema } from '../capabilities/runbooks/runbook-schema.js';
import { consoleConfigSchema } from '../http/console/console-config-schema.js';
import { webhooksConfigSchema } from '../capabilities/webhook/webhook-config-schema.js';
import { installOptionsSchema } from '../plugins/install/install-options-schema.js';
import { BUNDLED_GRANTS, BUNDLED_NET_ALLOW_PRIVATE, BUNDLED_PLUGIN_CONFIG, BUNDLED_RUNBOOKS } from './bundled-defaults.js';
import { checkRuleChannels, rbacRuleSchema } from './rbac-rule-schema.js';
import { discordConfigSchema, discordIdProblem } from './discord-config-schema.js';
import { channelTargetsSchema } from './channel-targets-schema.js';
import { teamsConfigSchema } from './teams-config-schema.js';

function checkDiscordId(value: string, ctx: z.RefinementCtx): void {
  const problem = discordIdProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

const permission = z.string().regex(/^[a-z*!][a-z0-9:*_.-]*$/i, 'a permission such as deploy, db:*, use:status');
const principal = z.string().regex(/^(discord|teams|local):user:.+$/, 'a qualified user id such as discord:user:123').superRefine(checkDiscordId);
const group = z.string().regex(/^(discord|teams|local):(role|group|team|channel):.+$/, 'a qualified group id such as discord:role:123').superRefine(checkDiscordId);

const roleSchema = z.object({
  description: z.string().optional(),
  permissions: z.array(permission).default([]),
}).strict();

const bindingSchema = z.object({
  principal: principal.optional(),
  group: group.optional(),
  roles: z.array(z.string().min(1)).min(1),
}).strict().refine((b) => (b.principal === undefined) !== (b.group === undefined), {
  message: 'a binding names exactly one of principal or group',
});

const localUserSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a lower-case user name'),
  displayName: z.string().optional(),
}).strict();

const secretSourceSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);

export const configSchema = z.object({
  bot: z.object({
    name: z.string().min(1).default('opsroom'),
    prefix: z.string().min(1).max(5).default('!'),
  }).strict().default({}),
  http: z.object({
    enabled: z.boolean().default(true),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    /** The web console: the web side of the local adapter, with approvals, audit, plugins and wishlist views. */
    console: consoleConfigSchema.default({}),
  }).strict().default({}),
  storage: z.object({
    sqlitePath: z.string().min(1).default('./data/opsroom.db'),
    /** Set from DATABASE_URL; PostgreSQL when present. */
    databaseUrl: z.string().url().optional(),
    /** PostgreSQL schema to use (tests give each run its own). */
    schema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  }).strict().default({}),
  logging: z.object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    file: z.string().optional(),
  }).strict().default({}),
  adapters: z.object({
    local: z.object({
      enabled: z.boolean().default(true),
      defaultUser: z.string().default('alice'),
      users: z.array(localUserSchema).default([
        { name: 'alice', displayName: 'Alice (operator)' },
        { name: 'bob', displayName: 'Bob (approver, admin)' },
      ]),
      channels: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).default(['ops', 'commits', 'builds', 'monit', 'bytes']),
    }).strict().default({}),
    discord: discordConfigSchema.default({}),
    teams: teamsConfigSchema,
  }).strict().default({}),
  rbac: z.object({
    roles: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), roleSchema).default({
      operator: { description: 'may run and request every command, but not manage roles', permissions: ['*', '!rbac:*'] },
      approver: { description: 'may approve risky commands', permissions: ['approve'] },
      admin: { description: 'holds every permission', permissions: ['*'] },
    }),
    bindings: z.array(bindingSchema).default([
      { principal: 'local:user:alice', roles: ['operator'] },
      { principal: 'local:user:bob', roles: ['approver', 'admin'] },
    ]),
    /** Extra conditions by command arguments and channel, checked by RbacService.decide. */
    rules: z.array(rbacRuleSchema).default([]),
  }).strict().default({}),
  plugins: z.object({
    /** Load the bundled plugins of the plugins/ folder. */
    bundled: z.boolean().default(true),
    paths: z.array(z.string()).default([]),
    /** Where `plugin install` puts community plugins; loaded at start like `paths`. */
    installDir: z.string().min(1).default('./data/plugins'),
    /** The lock file of installed plugins; by default opsroom-plugins.lock.json next to the configuration file. */
    lockFile: z.string().min(1).optional(),
    /** Registry, trust and size caps for installing plugins. */
    install: installOptionsSchema.default({}),
    /** The grant seed: plugin -> "all" it asks for, or a list such as ["net:api.github.com", "secrets:GITHUB_TOKEN"]. */
    grants: z.record(z.string(), z.union([z.literal('all'), z.array(z.string())])).default(BUNDLED_GRANTS),
    /** Per-plugin settings handed to the plugin as ctx.config. */
    config: z.record(z.string(), z.record(z.string(), z.unknown())).default(BUNDLED_PLUGIN_CONFIG),
    /** The operator's limits; a plugin may only lower them. */
    limits: z.object({
      memoryMb: z.number().int().min(8).max(1024).default(32),
      cpuMs: z.number().int().min(1).max(60_000).default(200),
      wallMs: z.number().int().min(10).max(600_000).default(30_000),
    }).strict().default({}),
    /** Sandbox runner processes holding the isolates. */
    runners: z.number().int().min(1).max(16).default(2),
  }).strict().default({}),
  /** Channel aliases: alias -> the real channel on each platform (qualified ids). */
  channels: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), channelTargetsSchema).default({
    ops: { local: 'local:channel:ops' },
    commits: { local: 'local:channel:commits' },
    builds: { local: 'local:channel:builds' },
    monit: { local: 'local:channel:monit' },
    bytes: { local: 'local:channel:bytes' },
  }),
  net: netOptionsSchema.default({ allowPrivate: [...BUNDLED_NET_ALLOW_PRIVATE] }),
  /** How `POST /hooks/<plugin>` is verified, per plugin; see src/capabilities/webhook. */
  webhooks: webhooksConfigSchema.default({}),
  secrets: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case secret name'), secretSourceSchema).default({}),
  approvals: approvalsConfigSchema,
  /** Many processes on PostgreSQL and Redis (REDIS_URL); absent, opsroom runs in one process. See docs/cluster.md. */
  cluster: clusterConfigSchema.default({}),
  shutdown: z.object({
    timeoutMs: z.coerce.number().int().positive().default(10_000),
  }).strict().default({}),
  /** Operator-defined host actions plugins may be granted (`ctx.runbook`); see src/capabilities/runbooks. */
  runbooks: runbooksSchema.default(BUNDLED_RUNBOOKS),
  /** Chat commands backed by a runbook or an HTTP call, without code; reloaded without a restart. See docs/automation.md. */
  commands: configCommandsSchema.default({}),
}).strict().superRefine(checkRuleChannels);

export type OpsroomConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
