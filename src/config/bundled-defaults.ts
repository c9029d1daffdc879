import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { runbooksSchema } from '../capabilities/runbooks/runbook-schema.js';

/**
 * What the embedded default grants the bundled plugins, so `npm start` works with nothing configured.
 * Each bundled plugin asks for the least it needs; granting "all" grants exactly that. `status` asks for hosts the
 * operator chooses (`net: ["*"]`), which "all" never grants, so it gets the one host of its default service.
 */
export const BUNDLED_GRANTS: Record<string, 'all' | string[]> = {
  status: ['net:127.0.0.1:3000'],
  logs: 'all',
  deploy: 'all',
  restart: 'all',
  batch: 'all',
  itest: 'all',
  users: 'all',
  db: 'all',
  github: 'all',
  alerts: 'all',
  ci: 'all',
  bytes: 'all',
};

/**
 * Approval policies that always apply after `approvals.policies`: installing or upgrading a plugin brings in code
 * nobody on the team wrote, so a second admin approves it. An operator's own policy for the same command replaces it.
 */
export const BUNDLED_APPROVAL_POLICIES: ReadonlyArray<{ command: string; approvals: number; approverRoles: string[]; allowSelfApproval: boolean }> = [
  { command: 'plugin install', approvals: 1, approverRoles: ['admin'], allowSelfApproval: false },
  { command: 'plugin upgrade', approvals: 1, approverRoles: ['admin'], allowSelfApproval: false },
];

/** The default of `plugins.config`: the status plugin checks opsroom itself, the logs plugin reads the demo log. */
export const BUNDLED_PLUGIN_CONFIG: Record<string, Record<string, unknown>> = {
  status: { services: { opsroom: 'http://127.0.0.1:3000/healthz' } },
  logs: { services: { opsroom: { runbook: 'tail-log' } } },
};

/** The default of `net.allowPrivate`: opsroom's own health endpoint, which the status plugin checks out of the box. */
export const BUNDLED_NET_ALLOW_PRIVATE: readonly string[] = Object.freeze(['127.0.0.1:3000']);

/** The demo program behind the default runbooks; absolute, so the runbooks work from any working folder. */
export const DEMO_OPS_PROGRAM = fileURLToPath(new URL('../../examples/runbooks/demo-ops.mjs', import.meta.url));

const SERVICE_PATTERN = '[a-z][a-z0-9-]{0,39}';
const USER_PATTERN = '[a-z][a-z0-9._-]{0,31}';

type RunbookInput = NonNullable<z.input<typeof runbooksSchema>>[string];

function demo(description: string, subcommand: string[], extra: Partial<RunbookInput> = {}): RunbookInput {
  return { description, argv: [process.execPath, DEMO_OPS_PROGRAM, ...subcommand], timeoutMs: 15_000, ...extra };
}

/**
 * The default of the `runbooks` section: every runbook the bundled plugins ask for, run by the demo program
 * examples/runbooks/demo-ops.mjs, which keeps a pretend world in ./data/demo-ops.json. An operator replaces these
 * with real actions (systemctl, kubectl, a migration tool) in the configuration.
 */
export const BUNDLED_RUNBOOKS: Record<string, RunbookInput> = {
  'restart-app': demo('Restarts a demo service', ['restart', '{service}'], {
    params: { service: { type: 'string', pattern: SERVICE_PATTERN, required: true, description: 'the service to restart' } }, risk: 'high',
  }),
  'batch-start': demo('Starts a demo batch job that completes a few seconds later', ['batch-start', '{job}'], {
    params: { job: { type: 'string', pattern: SERVICE_PATTERN, required: true, description: 'the job to start' } },
  }),
  'batch-status': demo('Lists the demo batch jobs, one per line: <job> <state> <details>', ['batch-status']),
  'users-add': demo('Adds a demo user account', ['users-add', '{name}'], {
    params: { name: { type: 'string', pattern: USER_PATTERN, required: true, description: 'the account name' } }, risk: 'high',
  }),
  'users-remove': demo('Removes a demo user account', ['users-remove', '{name}'], {
    params: { name: { type: 'string', pattern: USER_PATTERN, required: true, description: 'the account name' } }, risk: 'high',
  }),
  'db-version': demo('Shows the demo database schema version', ['db-version']),
  'db-upgrade': demo('Applies the pending demo database migrations', ['db-upgrade'], { risk: 'high' }),
  'tail-log': demo('Prints the newest lines of the demo log', ['tail-log', '{lines}'], {
    params: { lines: { type: 'int', pattern: '[1-9][0-9]{0,2}|1000', default: 50, description: 'how many lines, 1 to 1000' } },
  }),
};
