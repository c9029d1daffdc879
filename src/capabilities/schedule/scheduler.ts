import type { Cron } from 'croner';
import { inject, injectable, optional } from 'inversify';
import { sql, type Transaction } from 'kysely';
import { Clock } from '../../core/clock.js';
import { OpsroomError, UserError, isUserError } from '../../core/errors.js';
import { Logger } from '../../core/logger.js';
import { Database } from '../../storage/database.js';
import type { PluginSchedulesTable, Tables } from '../../storage/tables.js';
import { checkPluginName } from '../plugin-name.js';
import { MAX_SCHEDULES_PER_PLUGIN, checkScheduleName, nextTick, parseCron } from './schedule-rules.js';

/** One tick of a schedule, delivered to the plugin's `onSchedule`. */
export interface ScheduleJob {
  plugin: string;
  name: string;
  cron: string;
  /** When it fired (ISO 8601); later than the tick when opsroom was down or busy. */
  firedAt: string;
}

export interface ScheduleInfo {
  plugin: string;
  name: string;
  cron: string;
  /** ISO 8601. */
  nextAt: string;
  lastFiredAt: string | null;
}

export type FireSchedule = (job: ScheduleJob) => Promise<void>;

/**
 * Plugin cron schedules (`ctx.schedule`), persisted, evaluated in UTC. Each tick fires once across every
 * opsroom instance sharing the database; ticks missed while no instance ran fire once, at start.
 */
export const Scheduler = Symbol('Scheduler');
export interface Scheduler {
  /** Creates or changes a schedule; re-adding the same cron keeps its next tick, so a missed tick is not lost. */
  add(plugin: string, name: string, cron: string): Promise<void>;
  /** True when the schedule existed. */
  remove(plugin: string, name: string): Promise<boolean>;
  /** Schedules of one plugin, or of all, ordered by plugin and name. */
  list(plugin?: string): Promise<ScheduleInfo[]>;
  /** Removes every schedule of a plugin; returns how many there were. */
  removeAll(plugin: string): Promise<number>;
  /** Arms every persisted schedule and those added later; a `fire` that fails is logged. */
  start(fire: FireSchedule): Promise<void>;
  /** Disarms everything and waits for ticks being fired. */
  stop(): Promise<void>;
}

/**
 * In a cluster: each schedule is held by one instance, which alone arms it and renews its hold; a schedule whose
 * holder stops renewing (it died) is taken over by another instance once the hold has lapsed.
 */
export const ScheduleLease = Symbol('ScheduleLease');
export interface ScheduleLease {
  /** This instance's name, stored in `lease_owner`. */
  owner: string;
  /** How long a hold lasts without renewal; it is renewed three times in that span. */
  leaseMs: number;
}

/** Never wait longer than this on one timer, so a clock step or a long cron is re-checked. */
const MAX_TIMER_MS = 60 * 60 * 1000;
/** After a database failure, the tick is retried this much later. */
const RETRY_MS = 5_000;

interface Armed {
  timer: NodeJS.Timeout | undefined;
}

const keyOf = (plugin: string, name: string): string => `${plugin}/${name}`;

type ArmedRow = Pick<PluginSchedulesTable, 'plugin' | 'name' | 'cron' | 'next_at'>;

@injectable()
export class SchedulerImpl implements Scheduler {
  readonly #armed = new Map<string, Armed>();
  readonly #inFlight = new Set<Promise<void>>();
  #fire: FireSchedule | undefined;
  #leaseTimer: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(ScheduleLease) @optional() private readonly lease?: ScheduleLease,
  ) {
    this.logger = logger.child({ component: 'scheduler' });
  }

  async add(plugin: string, name: string, cron: string): Promise<void> {
    checkPluginName(plugin);
    checkScheduleName(name);
    const parsed = parseCron(name, cron);
    const now = this.clock.now();
    const next = this.firstTick(parsed, name, now);
    const row = await this.database.db.transaction().execute(async (trx) => {
      await this.lockPlugin(trx, plugin);
      const existing = await trx.selectFrom('plugin_schedules').selectAll().where('plugin', '=', plugin).where('name', '=', name).executeTakeFirst();
      if (existing?.cron === cron) return existing;
      if (existing === undefined) return this.insert(trx, plugin, name, cron, now, next);
      await trx.updateTable('plugin_schedules').set({ cron, next_at: next }).where('plugin', '=', plugin).where('name', '=', name).execute();
      return { ...existing, cron, next_at: next };
    });
    if (this.#fire !== undefined && this.holds(row) && (!this.#armed.has(keyOf(plugin, name)) || row.next_at === next)) this.arm(row);
  }

  async remove(plugin: string, name: string): Promise<boolean> {
    const result = await this.database.db.deleteFrom('plugin_schedules')
      .where('plugin', '=', checkPluginName(plugin)).where('name', '=', checkScheduleName(name)).executeTakeFirst();
    this.disarm(keyOf(plugin, name));
    return result.numDeletedRows > 0n;
  }

  async removeAll(plugin: string): Promise<number> {
    const result = await this.database.db.deleteFrom('plugin_schedules').where('plugin', '=', checkPluginName(plugin)).executeTakeFirst();
    for (const key of [...this.#armed.keys()]) if (key.startsWith(`${plugin}/`)) this.disarm(key);
    return Number(result.numDeletedRows);
  }

  async list(plugin?: string): Promise<ScheduleInfo[]> {
    let query = this.database.db.selectFrom('plugin_schedules').selectAll();
    if (plugin !== undefined) query = query.where('plugin', '=', checkPluginName(plugin));
    const rows = await query.orderBy('plugin').orderBy('name').execute();
    return rows.map((row) => ({ plugin: row.plugin, name: row.name, cron: row.cron, nextAt: row.next_at, lastFiredAt: row.last_fired_at }));
  }

  async start(fire: FireSchedule): Promise<void> {
    if (this.#fire !== undefined) throw new OpsroomError('E_INTERNAL', 'the scheduler is already started');
    this.#fire = fire;
    let rows: PluginSchedulesTable[];
    try {
      rows = this.lease ? await this.takeLeases(this.lease) : await this.database.db.selectFrom('plugin_schedules').selectAll().execute();
    } catch (error) {
      this.#fire = undefined;
      throw error;
    }
    for (const row of rows) this.arm(row);
    if (this.lease) {
      const lease = this.lease;
      this.#leaseTimer = setInterval(() => this.track(this.keepLeases(lease)), Math.max(500, Math.floor(lease.leaseMs / 3)));
    }
    this.logger.info({ schedules: rows.length, ...(this.lease ? { holder: this.lease.owner } : {}) }, 'scheduler started');
  }

  async stop(): Promise<void> {
    this.#fire = undefined;
    clearInterval(this.#leaseTimer);
    this.#leaseTimer = undefined;
    for (const key of [...this.#armed.keys()]) this.disarm(key);
    await Promise.allSettled([...this.#inFlight]);
    if (this.lease) await this.releaseLeases(this.lease);
  }

  private firstTick(cron: Cron, name: string, now: Date): string {
    const next = nextTick(cron, now);
    if (next === undefined) throw new UserError('E_BAD_ARGS', `schedule ${name}: ${JSON.stringify(cron.getPattern())} has no future tick`);
    return next.toISOString();
  }

  private async insert(trx: Transaction<Tables>, plugin: string, name: string, cron: string, now: Date, next: string): Promise<PluginSchedulesTable> {
    const count = await trx.selectFrom('plugin_schedules').select((eb) => eb.fn.countAll<number>().as('n')).where('plugin', '=', plugin).executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_SCHEDULES_PER_PLUGIN) {
      throw new UserError('E_BAD_ARGS', `schedule ${name}: ${plugin} already has ${MAX_SCHEDULES_PER_PLUGIN} schedules, the most a plugin may have; remove one with ctx.unschedule(name)`);
    }
    // The instance that adds a schedule holds it first.
    const row: PluginSchedulesTable = {
      plugin, name, cron, created_at: now.toISOString(), last_fired_at: null, next_at: next,
      lease_owner: this.lease?.owner ?? null, lease_until: this.lease ? new Date(now.getTime() + this.lease.leaseMs).toISOString() : null,
    };
    await trx.insertInto('plugin_schedules').values(row).execute();
    return row;
  }

  /** Serializes adds of one plugin so two instances cannot both pass the per-plugin limit (SQLite: `begin immediate`). */
  private async lockPlugin(trx: Transaction<Tables>, plugin: string): Promise<void> {
    if (this.database.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtext(${`opsroom.plugin_schedules:${plugin}`}))`.execute(trx);
  }

  /** Whether this instance fires the schedule: always alone, and in a cluster when it holds its lease. */
  private holds(row: Pick<PluginSchedulesTable, 'lease_owner'>): boolean {
    return this.lease === undefined || row.lease_owner === this.lease.owner;
  }

  /** Renews this instance's holds and takes the schedules nobody holds (new, released, or whose holder died). */
  private async takeLeases(lease: ScheduleLease): Promise<PluginSchedulesTable[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + lease.leaseMs).toISOString();
    const { db } = this.database;
    await db.updateTable('plugin_schedules').set({ lease_until: until }).where('lease_owner', '=', lease.owner).execute();
    await db.updateTable('plugin_schedules').set({ lease_owner: lease.owner, lease_until: until })
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
      .execute();
    return db.selectFrom('plugin_schedules').selectAll().where('lease_owner', '=', lease.owner).execute();
  }

  /** Arms what this instance took over and disarms what it no longer holds. */
  private async keepLeases(lease: ScheduleLease): Promise<void> {
    if (this.#fire === undefined) return;
    let rows: PluginSchedulesTable[];
    try {
      rows = await this.takeLeases(lease);
    } catch (error) {
      this.logger.error({ err: error }, 'could not renew the schedule leases; another instance takes them over if this lasts');
      return;
    }
    if (this.#fire === undefined) return;
    const held = new Set(rows.map((row) => keyOf(row.plugin, row.name)));
    for (const key of [...this.#armed.keys()]) if (!held.has(key)) this.disarm(key);
    for (const row of rows) {
      if (this.#armed.has(keyOf(row.plugin, row.name))) continue;
      this.logger.info({ plugin: row.plugin, schedule: row.name, nextAt: row.next_at }, 'took over a schedule');
      this.arm(row);
    }
  }

  /** Leaving on purpose: the others need not wait for the holds to lapse. */
  private async releaseLeases(lease: ScheduleLease): Promise<void> {
    try {
      await this.database.db.updateTable('plugin_schedules').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', lease.owner).execute();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the schedule leases; other instances take them over when they lapse');
    }
  }

  /** (Re)arms one schedule for its persisted `next_at`; one already due fires at once, and only once. */
  private arm(row: ArmedRow, delayMs?: number): void {
    const key = keyOf(row.plugin, row.name);
    this.disarm(key);
    const armed: Armed = { timer: undefined };
    const wait = delayMs ?? Date.parse(row.next_at) - this.clock.now().getTime();
    armed.timer = setTimeout(() => this.track(this.tick(armed, row)), Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    this.#armed.set(key, armed);
  }

  private disarm(key: string): void {
    clearTimeout(this.#armed.get(key)?.timer);
    this.#armed.delete(key);
  }

  private track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /** Still the current arming of its schedule: not removed, changed, or stopped meanwhile. */
  private isCurrent(armed: Armed, plugin: string, name: string): boolean {
    return this.#fire !== undefined && this.#armed.get(keyOf(plugin, name)) === armed;
  }

  private async tick(armed: Armed, row: ArmedRow): Promise<void> {
    const fire = this.#fire;
    if (fire === undefined || !this.isCurrent(armed, row.plugin, row.name)) return;
    const now = this.clock.now();
    if (now.getTime() < Date.parse(row.next_at)) return this.arm(row);
    const log = this.logger.child({ plugin: row.plugin, schedule: row.name });
    let next: string | undefined;
    try {
      next = await this.claim(row, now);
    } catch (error) {
      if (!this.isCurrent(armed, row.plugin, row.name)) return;
      if (isUserError(error)) {
        log.error({ err: error, cron: row.cron }, 'schedule has a cron expression this version cannot read; it is not armed');
        return this.disarm(keyOf(row.plugin, row.name));
      }
      log.error({ err: error, retryInMs: RETRY_MS }, 'schedule tick could not be claimed; retrying');
      return this.arm(row, RETRY_MS);
    }
    if (next === undefined) return this.follow(armed, row);
    await this.run(fire, { plugin: row.plugin, name: row.name, cron: row.cron, firedAt: now.toISOString() }, log);
    if (this.isCurrent(armed, row.plugin, row.name)) this.arm({ ...row, next_at: next });
  }

  /** Moves `next_at` on from the tick this instance saw; the new `next_at` if it won, undefined if another instance did. */
  private async claim(row: ArmedRow, now: Date): Promise<string | undefined> {
    const following = nextTick(parseCron(row.name, row.cron), now);
    if (following === undefined) {
      this.logger.warn({ plugin: row.plugin, schedule: row.name, cron: row.cron }, 'schedule has no future tick; it is removed');
      await this.database.db.deleteFrom('plugin_schedules').where('plugin', '=', row.plugin).where('name', '=', row.name).execute();
      return undefined;
    }
    const next = following.toISOString();
    let claim = this.database.db.updateTable('plugin_schedules')
      .set({ next_at: next, last_fired_at: now.toISOString() })
      .where('plugin', '=', row.plugin).where('name', '=', row.name)
      .where('cron', '=', row.cron).where('next_at', '=', row.next_at);
    if (this.lease) claim = claim.where('lease_owner', '=', this.lease.owner);
    const result = await claim.executeTakeFirst();
    return result.numUpdatedRows === 1n ? next : undefined;
  }

  /** Another instance claimed the tick, or the schedule changed or went: arm for what the database says now. */
  private async follow(armed: Armed, row: ArmedRow): Promise<void> {
    let current: Pick<PluginSchedulesTable, 'plugin' | 'name' | 'cron' | 'next_at' | 'lease_owner'> | undefined;
    try {
      current = await this.database.db.selectFrom('plugin_schedules').select(['plugin', 'name', 'cron', 'next_at', 'lease_owner'])
        .where('plugin', '=', row.plugin).where('name', '=', row.name).executeTakeFirst();
    } catch (error) {
      this.logger.error({ err: error, plugin: row.plugin, schedule: row.name, retryInMs: RETRY_MS }, 'schedule could not be re-read; retrying');
      if (this.isCurrent(armed, row.plugin, row.name)) this.arm(row, RETRY_MS);
      return;
    }
    if (!this.isCurrent(armed, row.plugin, row.name)) return;
    if (current === undefined || !this.holds(current)) this.disarm(keyOf(row.plugin, row.name));
    else this.arm(current);
  }

  private async run(fire: FireSchedule, job: ScheduleJob, log: Logger): Promise<void> {
    try {
      await fire(job);
    } catch (error) {
      if (isUserError(error)) log.warn({ err: error }, 'schedule tick failed');
      else log.error({ err: error }, 'schedule tick failed');
    }
  }
}
