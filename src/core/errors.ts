/** Who an error is for: `user` errors are answered in chat; `system` errors are logged and alerted. */
export type ErrorAudience = 'user' | 'system';

interface ErrorCodeInfo {
  audience: ErrorAudience;
  /** One line for docs/errors.md; a test keeps the two in step. */
  description: string;
}

/** Every stable error code opsroom uses. Add here and in docs/errors.md together. */
export const ERROR_CODES = {
  E_PARSE: { audience: 'user', description: 'The command line could not be parsed (an unclosed quote, a dangling escape).' },
  E_UNKNOWN_COMMAND: { audience: 'user', description: 'No command of that name is registered.' },
  E_BAD_ARGS: { audience: 'user', description: 'The arguments do not match the command schema.' },
  E_DENIED: { audience: 'user', description: 'The caller lacks the permission the command needs.' },
  E_NOT_FOUND: { audience: 'user', description: 'A named thing (user, plugin, entry) does not exist.' },
  E_CONFIG: { audience: 'user', description: 'The configuration file or environment is invalid.' },
  E_CAPABILITY_DENIED: { audience: 'user', description: 'A plugin called a capability that was not granted.' },
  E_PLUGIN_FAILED: { audience: 'user', description: 'A plugin threw, crashed or exceeded a limit during a call.' },
  E_PLUGIN_LOAD: { audience: 'system', description: 'A plugin could not be loaded; the bot runs on without it.' },
  E_STORAGE: { audience: 'system', description: 'The database could not be reached or a statement failed.' },
  E_AUDIT_CHAIN: { audience: 'system', description: 'The audit hash chain does not verify.' },
  E_SHUTTING_DOWN: { audience: 'user', description: 'opsroom is shutting down and takes no new commands.' },
  E_INTERNAL: { audience: 'system', description: 'An unexpected failure inside opsroom.' },
  E_NET: { audience: 'user', description: 'A plugin network request was malformed or failed on the wire (DNS, connection, TLS).' },
  E_UNSUPPORTED: { audience: 'user', description: 'The chat platform cannot do what was asked (a Teams bot cannot add reactions; a card too large for a message).' },
  E_PLATFORM: { audience: 'system', description: 'The chat platform refused or failed a request (the Teams connector answered an error).' },
  E_QUOTA: { audience: 'user', description: 'A plugin storage write would exceed the plugin storage quota.' },
  E_APPROVAL_CLOSED: { audience: 'user', description: 'The approval request is no longer pending (approved, denied, expired, cancelled or run).' },
  E_APPROVAL_STALE: { audience: 'user', description: "The command or the requester's rights changed between request and approval (plugin upgraded, disabled, regranted or removed; a role taken away); the request failed closed." },
  E_APPROVAL_TAMPERED: { audience: 'system', description: 'A stored approval request does not match its hash; it was refused.' },
  E_SLASH_COMMANDS: { audience: 'system', description: 'Commands cannot be registered as Discord slash commands (a name, option or count outside Discord limits).' },
  E_LOCKOUT: { audience: 'user', description: 'The change would take away the acting admin\'s own last role granting rbac:admin.' },
  E_LINK_CODE: { audience: 'user', description: 'A link code is malformed, unknown, expired or already used.' },
  E_LINK_CONFLICT: { audience: 'user', description: 'Two identities cannot be linked (already linked, the same identity, or two identities on one platform).' },
  E_INSTALL: { audience: 'user', description: 'A plugin could not be installed, upgraded or removed: a bad source, a failed download, an unsafe archive or an invalid manifest.' },
  E_INTEGRITY: { audience: 'user', description: 'A downloaded plugin does not match its pinned sha256, the registry integrity or the lock file.' },
  E_CONSOLE_SESSION: { audience: 'user', description: 'A web console request came without a valid session, login link, CSRF token or allowed Origin.' },
  E_CONFIG_COMMAND: { audience: 'user', description: 'A command defined in the configuration failed: its HTTP call answered an error status, or its runbook exited non-zero or timed out.' },
  E_CLUSTER: { audience: 'system', description: 'Redis or another opsroom process of the cluster could not be reached, or answered outside the cluster protocol.' },
  E_NO_WORKER: { audience: 'user', description: 'No worker took the command in time (none running, or all busy); it did not run.' },
  E_INTERRUPTED: { audience: 'user', description: 'The worker running the command stopped before it finished; whether the command took effect is unknown.' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one base class of opsroom errors: a stable code, an audience, and an optional cause. */
export class OpsroomError extends Error {
  override readonly name: string = 'OpsroomError';
  readonly code: ErrorCode;
  /** Extra facts for the reply, e.g. the usage line of a command. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }

  get audience(): ErrorAudience {
    return ERROR_CODES[this.code].audience;
  }
}

export class UserError extends OpsroomError {
  override readonly name: string = 'UserError';
}

export class ConfigError extends OpsroomError {
  override readonly name: string = 'ConfigError';
  readonly problems: string[];
  constructor(message: string, problems: string[]) {
    super('E_CONFIG', message);
    this.problems = problems;
  }
}

export function isUserError(error: unknown): error is OpsroomError {
  return error instanceof OpsroomError && error.audience === 'user';
}

/** The text a user sees for any failure: specific for user errors, a reference for the rest. */
export function describeForChat(error: unknown, reference: string): string {
  if (isUserError(error)) return error.hint ? `${error.message}\n${error.hint}` : error.message;
  return `Something went wrong inside opsroom (reference ${reference}); the operators can find it in the log.`;
}
