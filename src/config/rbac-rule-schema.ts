import { z } from 'zod';
import { parseQualified } from '../core/identity.js';

const ruleValue = z.union([z.string().min(1), z.number(), z.boolean()]);

/** A rule on one command: a permission it additionally needs and/or the channels it may run in, when its arguments match. */
export const rbacRuleSchema = z.object({
  command: z.string().regex(/^[a-z][a-z0-9_-]*( [a-z][a-z0-9_-]*)?$/i, 'a command name such as deploy or "db upgrade"'),
  args: z.record(z.string().min(1), z.union([ruleValue, z.array(ruleValue).min(1)])).optional(),
  channels: z.array(z.string().min(1)).min(1).optional(),
  permission: z.string().regex(/^[a-z][a-z0-9:_.-]*$/i, 'a concrete permission such as deploy:prod (no wildcard)').optional(),
  description: z.string().optional(),
}).strict().refine((rule) => rule.permission !== undefined || rule.channels !== undefined, {
  message: 'a rule needs a permission, channels, or both (expected e.g. { command: deploy, args: { env: prod }, permission: deploy:prod })',
});

interface RuleChannelsView {
  rbac: { rules: Array<{ channels?: string[] | undefined }> };
  channels: Record<string, unknown>;
}

/** Every channel a rule names must be a qualified channel id or an alias of the `channels` section. */
export function checkRuleChannels(config: RuleChannelsView, ctx: z.RefinementCtx): void {
  const aliases = Object.keys(config.channels);
  config.rbac.rules.forEach((rule, index) => {
    (rule.channels ?? []).forEach((channel, position) => {
      const qualified = parseQualified(channel);
      if (qualified && (qualified.kind === 'channel' || qualified.kind === 'conversation')) return;
      if (!qualified && aliases.includes(channel)) return;
      const known = aliases.length > 0 ? aliases.join(', ') : 'none defined';
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['rbac', 'rules', index, 'channels', position],
        message: `"${channel}" is neither a channel id nor a channel alias (expected an id such as discord:channel:123 or an alias of the channels section: ${known})`,
      });
    });
  });
}
