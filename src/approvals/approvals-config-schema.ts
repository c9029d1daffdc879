import { z } from 'zod';

/** Longest time a request may wait: timers beyond this would be forgotten long before they fire. */
const MAX_EXPIRY_MINUTES = 7 * 24 * 60;

const roleName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a role name such as release-manager');
const commandName = z.string().regex(/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?$/, 'a command name such as deploy or "deploy status"');
const argName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'an argument name such as env');
const argValue = z.union([z.string().min(1), z.number(), z.boolean()]);
/** A qualified channel id (`discord:channel:456`, `teams:conversation:19:abc`) or an alias of the `channels` section. */
const channelRef = z.string().regex(
  /^((discord|teams|local):(channel|conversation):.+|[a-z][a-z0-9-]*)$/,
  'a qualified channel id such as discord:channel:456, or a channel alias such as ops',
);
/** `deploy`, `deploy status`, `deploy env=staging`, `deploy env=prod region=eu`. */
const riskKey = z.string().regex(
  /^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)?( [A-Za-z][A-Za-z0-9_-]{0,39}=[^\s=]+)*$/,
  'a command name, optionally followed by argument conditions, such as "deploy" or "deploy env=staging"',
);
const expiryMinutes = z.number().positive().max(MAX_EXPIRY_MINUTES);

const policyFields = {
  /** How many distinct eligible approvers must approve. */
  approvals: z.number().int().min(1).max(20),
  /** Holding any one of these roles makes somebody an eligible approver. */
  approverRoles: z.array(roleName).min(1),
  allowSelfApproval: z.boolean().default(false),
  /** When set, the requester must hold one of these roles to ask at all. */
  requesterRoles: z.array(roleName).min(1).optional(),
  /** Overrides `approvals.expiryMinutes` for this policy. */
  expiryMinutes: expiryMinutes.optional(),
};

const policySchema = z.object({
  command: commandName,
  /** Every named argument must have the value (or one of the values) given. */
  args: z.record(argName, z.union([argValue, z.array(argValue).min(1)])).optional(),
  /** The policy applies only in these channels. */
  channels: z.array(channelRef).min(1).optional(),
  ...policyFields,
}).strict();

/** The `approvals` section of the configuration. */
export const approvalsConfigSchema = z.object({
  /** The policy of a command whose effective risk is high and that no explicit policy matches. */
  defaultHighRisk: z.object(policyFields).strict().default({ approvals: 1, approverRoles: ['approver'] }),
  expiryMinutes: expiryMinutes.default(15),
  /** Pending requests one user may hold at once, so nobody floods the approvers. */
  maxPendingPerUser: z.number().int().min(1).max(100).default(5),
  /** Raises or lowers the risk a command declares, for the command or for some argument values. */
  risk: z.record(riskKey, z.enum(['low', 'medium', 'high'])).default({}),
  /** Checked in order; the first that matches the command, its arguments and the channel applies. */
  policies: z.array(policySchema).default([]),
}).strict().default({});

export type ApprovalsConfig = z.infer<typeof approvalsConfigSchema>;
export type PolicyConfig = ApprovalsConfig['policies'][number];
