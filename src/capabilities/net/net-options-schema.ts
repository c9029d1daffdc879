import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { formatIssues } from '../../config/format-issues.js';
import { parseHostPattern } from './host-pattern.js';
import { DEFAULT_NET_OPTIONS, type NetOptions } from './net-policy.js';

const hostEntry = z.string().superRefine((entry, ctx) => {
  try {
    parseHostPattern(entry);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${error instanceof Error ? error.message : String(error)} (expected a host such as 127.0.0.1, localhost:4010 or 10.0.0.5:8080)` });
  }
});

/** The `net` section of the configuration; every field has the documented default. */
export const netOptionsSchema = z.object({
  allowPrivate: z.array(hostEntry).default([]),
  maxRequestBytes: z.coerce.number().int().positive().default(DEFAULT_NET_OPTIONS.maxRequestBytes),
  maxResponseBytes: z.coerce.number().int().positive().default(DEFAULT_NET_OPTIONS.maxResponseBytes),
  timeoutMs: z.coerce.number().int().positive().max(600_000).default(DEFAULT_NET_OPTIONS.timeoutMs),
  maxRedirects: z.coerce.number().int().min(0).max(20).default(DEFAULT_NET_OPTIONS.maxRedirects),
}).strict();

/** Parses the `net` section (or nothing, for the defaults); throws ConfigError listing every problem. */
export function parseNetOptions(section: unknown): NetOptions {
  const parsed = netOptionsSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, 'net.');
    throw new ConfigError(`the net configuration has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems);
  }
  return parsed.data;
}

/** Checks options built in code (tests, the composition root) the same way as the config section. */
export function validateNetOptions(options: NetOptions): void {
  parseNetOptions(options);
}
