import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../../core/command.js';
import { UserError } from '../../core/errors.js';
import type { OutboundMessage } from '../../core/message.js';
import { contextOf } from '../change-context.js';
import { IdentityLinks } from '../identity-links.js';
import { LINK_CODE_TTL_MS } from '../link-code.js';

@injectable()
export class LinkCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'link', description: 'Links your identities on two platforms: `link` here, then `link <code>` there',
    usage: 'link [code]',
    // Named `token` so the audit log redacts the code typed on the second platform.
    args: [{ name: 'token', type: 'rest', description: 'the code `link` gave you on your other platform' }],
    // Open to everyone, like the read-only built-ins: the identity typing the code has no role yet, and holding the code proves it.
    permission: 'core:link', risk: 'low', readOnly: true,
  };

  constructor(@inject(IdentityLinks) private readonly links: IdentityLinks) {}

  async run(invocation: Invocation): Promise<string | OutboundMessage> {
    const code = typeof invocation.args.token === 'string' ? invocation.args.token.trim() : '';
    if (code.length > 0) {
      const { linkedTo } = await this.links.redeemCode(code, contextOf(invocation));
      return `Linked ${invocation.actor.id} to ${linkedTo}: the roles of either identity now apply to both.`;
    }
    if (!invocation.channel.isDirect && invocation.platform !== 'local') {
      // Not every platform can answer one person alone in a shared channel (Teams cannot), and whoever reads a code can link to you.
      throw new UserError('E_UNSUPPORTED', 'A link code must stay private, and an answer here could be read by everyone: send me `link` in a direct message.');
    }
    const issued = await this.links.issueCode(contextOf(invocation));
    return {
      ephemeral: true,
      text: [
        `Your link code: ${issued.code}`,
        `Type \`link ${issued.code}\` to me as your identity on the other platform within ${LINK_CODE_TTL_MS / 60_000} minutes; it works once.`,
        'Keep it to yourself: whoever types it first is linked to you.',
      ].join('\n'),
    };
  }
}
