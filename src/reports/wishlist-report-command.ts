import { inject, injectable } from 'inversify';
import type { BuiltinCommand } from '../builtins/builtin-command.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import type { OutboundMessage } from '../core/message.js';
import { Wishlist } from '../routing/wishlist.js';
import type { WishlistEntry } from '../storage/wishlist-store.js';
import { ChartRenderer } from './chart-renderer.js';
import { barChartSvg, COLORS } from './chart-svg.js';
import { textTable } from './text-table.js';

/** `report wishlist`: the missing commands people asked for most, with a chart, to decide what to automate next. */
@injectable()
export class WishlistReportCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'report wishlist', description: 'The most wanted missing commands, with who asked, as a chart',
    usage: 'report wishlist [--top 10]',
    args: [{ name: 'top', type: 'int', flag: true, default: 10, description: 'how many, 1 to 25' }],
    permission: 'reports:read', risk: 'low',
  };

  constructor(
    @inject(Wishlist) private readonly wishlist: Wishlist,
    @inject(ChartRenderer) private readonly charts: ChartRenderer,
  ) {}

  async run(invocation: Invocation): Promise<OutboundMessage> {
    const top = Math.min(Math.max(Number(invocation.args.top ?? 10), 1), 25);
    const entries = await this.wishlist.top(top);
    const asked = entries.reduce((n, e) => n + e.count, 0);
    const chart = this.charts.png('wishlist.png', barChartSvg({
      title: 'Wishlist: most wanted missing commands', subtitle: `${entries.length} command${entries.length === 1 ? '' : 's'}, asked ${asked} time${asked === 1 ? '' : 's'}; opsroom automate <name> starts one`,
      rows: entries.map((e) => ({ label: e.command, values: [e.count] })), series: [{ label: 'times asked', color: COLORS.neutral }],
    }));
    return { text: wishlistText(entries), attachments: [chart] };
  }
}

export function wishlistText(entries: readonly WishlistEntry[]): string {
  if (entries.length === 0) return '**Wishlist**: empty; every command people typed exists.';
  const asked = entries.reduce((n, e) => n + e.count, 0);
  return [
    `**Wishlist**: the ${entries.length} most wanted missing command${entries.length === 1 ? '' : 's'}, asked ${asked} time${asked === 1 ? '' : 's'}`,
    textTable(['COMMAND', 'ASKED', 'BY', 'LAST ASKED (UTC)'], entries.map((e) => [
      e.command, String(e.count), e.askers.slice(0, 3).join(', ') + (e.askers.length > 3 ? ` +${e.askers.length - 3}` : ''),
      e.lastAskedAt.toISOString().slice(0, 16).replace('T', ' '),
    ]), new Set([1])),
    'To automate one: `opsroom automate <command>` writes a `commands:` entry or a plugin folder to start from.',
  ].join('\n');
}
