import { inject, injectable } from 'inversify';
import type { AuditRecord } from '../audit/audit-log.js';
import { resolveUserArg, type BuiltinCommand } from '../builtins/builtin-command.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { Clock } from '../core/clock.js';
import type { CommandSpec, Invocation } from '../core/command.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { AuditSearch } from './audit-search.js';
import { formatHit, type HistoryHit } from './history-format.js';
import { describeSince, parseSince } from './parse-since.js';

const ACTIONS = ['command.executed', 'command.failed', 'command.denied'];
const PAGE = 100;
/** How many entries one `history` looks at, at most, to fill its page after hiding what the caller may not see. */
const MAX_SCANNED = 2000;

/** `history <text> [--user u] [--since 7d]`: how a task was done before, from the audit log, as far as the caller may see. */
@injectable()
export class HistoryCommand implements BuiltinCommand {
  readonly spec: CommandSpec = {
    name: 'history', description: 'Searches past commands: who ran what, where, when, and how it went',
    usage: 'history [text...] [--user <user>] [--since 30d] [--limit 10]',
    args: [
      { name: 'text', type: 'rest', description: 'words the command or its arguments contain' },
      { name: 'user', type: 'user', flag: true, description: 'only commands of this user' },
      { name: 'since', type: 'string', flag: true, default: '30d', description: 'how far back: 30m, 12h, 7d, 2w or a date' },
      { name: 'limit', type: 'int', flag: true, default: 10, description: 'how many results, 1 to 50' },
    ],
    permission: 'core:history', risk: 'low', readOnly: true,
  };

  constructor(
    @inject(AuditSearch) private readonly search: AuditSearch,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(invocation: Invocation): Promise<string> {
    const text = typeof invocation.args.text === 'string' ? invocation.args.text.trim() : '';
    const sinceText = String(invocation.args.since ?? '30d');
    const since = parseSince(sinceText, this.clock.now());
    const limit = Math.min(Math.max(Number(invocation.args.limit ?? 10), 1), 50);
    const actor = typeof invocation.args.user === 'string' ? resolveUserArg(invocation.args.user, invocation.platform) : undefined;
    const words = text.split(/\s+/).filter(Boolean).slice(0, 8);
    const hits = await this.find(invocation, { words, since, actor, limit });
    const what = [words.length > 0 ? `"${words.join(' ')}"` : 'all commands', actor ? `by ${actor}` : '', describeSince(sinceText)].filter(Boolean).join(', ');
    if (hits.length === 0) return `No commands found for ${what}.`;
    const received = await this.search.received(hits.map((h) => h.record.invocationId ?? '').filter(Boolean));
    const links = { discordGuildId: this.config.adapters.discord.guildId };
    const lines = hits.map((hit) => formatHit({ ...hit, received: received.get(hit.record.invocationId ?? '') }, links));
    return [`History for ${what} (newest first, ${hits.length} shown):`, ...lines].join('\n');
  }

  /** Pages back through matching entries, keeping those whose match the caller may see, until `limit` are found. */
  private async find(invocation: Invocation, query: { words: string[]; since: Date; actor?: string; limit: number }): Promise<HistoryHit[]> {
    const hits: HistoryHit[] = [];
    let beforeSeq: number | undefined;
    for (let scanned = 0; scanned < MAX_SCANNED && hits.length < query.limit;) {
      const page = await this.search.commands({ actions: ACTIONS, ...query, beforeSeq, limit: PAGE });
      for (const record of page) {
        // Earlier searches are not how a task was done; they would only echo the words searched for.
        if (record.command === this.spec.name) continue;
        const hit = this.visible(invocation, record);
        if (matches(record, hit.visibleSpec !== undefined, query.words)) hits.push(hit);
        if (hits.length === query.limit) break;
      }
      scanned += page.length;
      if (page.length < PAGE) break;
      beforeSeq = page[page.length - 1]?.seq;
    }
    return hits;
  }

  /** Arguments are shown only when the caller could run that very call: the command's permission and its argument rules. */
  private visible(invocation: Invocation, record: AuditRecord): HistoryHit {
    const command = record.command === null ? undefined : this.registry.get(record.command);
    if (!command) return { record, visibleSpec: undefined, hiddenBecause: 'the command no longer exists' };
    const asCaller: Invocation = {
      ...invocation, command: command.spec.name, plugin: command.plugin, args: (record.args ?? {}) as Invocation['args'],
      channel: { id: record.channel ?? invocation.channel.id, isDirect: false },
    };
    const decision = this.rbac.decide(asCaller, command.spec);
    return decision.allowed ? { record, visibleSpec: command.spec } : { record, visibleSpec: undefined, hiddenBecause: `you may not run ${command.spec.name}` };
  }
}

/** Every word in the command name, or in its arguments when the caller may see them. */
function matches(record: AuditRecord, argsVisible: boolean, words: readonly string[]): boolean {
  const haystack = `${record.command ?? ''} ${argsVisible && record.args ? JSON.stringify(record.args) : ''}`.toLowerCase();
  return words.every((word) => haystack.includes(word.toLowerCase()));
}
