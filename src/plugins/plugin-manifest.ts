import { z } from 'zod';
import { validateArgSpecs } from '../routing/arg-schema.js';

const hostPattern = z.string().regex(/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i, 'a host such as api.github.com, *.example.com or host:8443');
/** `*` asks for hosts the operator names later (docs/plugins.md); it is never granted itself, and never carries a secret. */
const netRequest = z.union([z.literal('*'), hostPattern]);
const secretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case secret name such as GITHUB_TOKEN');
const alias = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a channel alias such as builds');

/** One argument of a command, as in plugin.json (also used by `commands:` in the configuration). */
export const argSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'an argument name such as service'),
  type: z.enum(['string', 'int', 'number', 'bool', 'enum', 'user', 'channel', 'rest']),
  description: z.string().max(200).optional(),
  required: z.boolean().optional(),
  flag: z.boolean().optional(),
  values: z.array(z.string().min(1)).min(1).optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
}).strict();

const commandSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}( [a-z][a-z0-9-]{0,31})?$/, 'a lower-case command name, optionally two words such as "deploy status"'),
  description: z.string().min(1).max(200),
  usage: z.string().max(200).optional(),
  args: z.array(argSchema).default([]),
  aliases: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)).optional(),
  permission: z.string().regex(/^[a-z][a-z0-9:_.-]*$/i).optional(),
  risk: z.enum(['low', 'medium', 'high']).default('low'),
}).strict().superRefine((command, ctx) => {
  for (const problem of validateArgSpecs(command.args as never)) ctx.addIssue({ code: 'custom', path: ['args'], message: problem });
});

export const capabilitiesSchema = z.object({
  net: z.array(netRequest).optional(),
  secrets: z.record(secretName, z.array(hostPattern).min(1)).optional(),
  storage: z.object({ quotaKb: z.number().int().positive().max(102_400) }).strict().optional(),
  post: z.array(alias).optional(),
  runbooks: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).optional(),
  webhook: z.boolean().optional(),
  schedule: z.boolean().optional(),
}).strict();

export const manifestSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'a lower-case name of 2 to 40 letters, digits and dashes'),
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.2.0'),
  apiVersion: z.literal(1),
  description: z.string().min(1).max(300),
  main: z.string().regex(/^[A-Za-z0-9_.-]+\.js$/, 'a .js file in the plugin folder').default('index.js'),
  commands: z.array(commandSchema).default([]),
  events: z.array(z.enum(['webhook', 'schedule'])).default([]),
  capabilities: capabilitiesSchema.default({}),
  limits: z.object({
    memoryMb: z.number().int().min(8).max(1024).optional(),
    cpuMs: z.number().int().min(1).max(60_000).optional(),
    wallMs: z.number().int().min(10).max(600_000).optional(),
  }).strict().default({}),
  config: z.record(z.string(), z.unknown()).optional(),
}).strict().superRefine((manifest, ctx) => {
  const seen = new Set<string>();
  manifest.commands.forEach((command, index) => {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['commands', index, 'name'], message: `"${name}" is declared twice` });
      seen.add(name);
    }
  });
});

export type PluginManifest = z.infer<typeof manifestSchema>;
export type PluginCapabilities = z.infer<typeof capabilitiesSchema>;
export type CapabilityName = keyof PluginCapabilities;
export const CAPABILITY_NAMES: readonly CapabilityName[] = ['net', 'secrets', 'storage', 'post', 'runbooks', 'webhook', 'schedule'];
