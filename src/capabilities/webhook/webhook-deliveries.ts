import { inject, injectable } from 'inversify';
import { checkPluginName } from '../plugin-name.js';
import { Database } from '../../storage/database.js';
import { portableText } from '../../storage/portable-text.js';

/** A delivery left `processing` this long was abandoned (the process died mid-call) and may be taken again. */
const ABANDONED_MS = 15 * 60 * 1000;

/** Webhook delivery ids already taken, so a redelivery is processed once, across processes. */
export const WebhookDeliveries = Symbol('WebhookDeliveries');
export interface WebhookDeliveries {
  /** True when this caller may process the delivery: never seen, failed before, or abandoned. Atomic. */
  claim(plugin: string, deliveryId: string, at: Date): Promise<boolean>;
  /** Marks a claimed delivery done, or failed so that a redelivery is processed again. */
  finish(plugin: string, deliveryId: string, ok: boolean): Promise<void>;
  /** Forgets deliveries received before `olderThan`; returns how many. */
  prune(olderThan: Date): Promise<number>;
}

@injectable()
export class WebhookDeliveriesImpl implements WebhookDeliveries {
  constructor(@inject(Database) private readonly database: Database) {}

  async claim(plugin: string, deliveryId: string, at: Date): Promise<boolean> {
    const key = { plugin: checkPluginName(plugin), delivery_id: portableText(deliveryId) };
    const inserted = await this.database.db
      .insertInto('webhook_deliveries')
      .values({ ...key, state: 'processing', received_at: at.toISOString() })
      .onConflict((conflict) => conflict.columns(['plugin', 'delivery_id']).doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 1n) return true;
    const abandoned = new Date(at.getTime() - ABANDONED_MS).toISOString();
    const retaken = await this.database.db
      .updateTable('webhook_deliveries')
      .set({ state: 'processing', received_at: at.toISOString() })
      .where('plugin', '=', key.plugin)
      .where('delivery_id', '=', key.delivery_id)
      .where((eb) => eb.or([eb('state', '=', 'failed'), eb.and([eb('state', '=', 'processing'), eb('received_at', '<', abandoned)])]))
      .executeTakeFirst();
    return retaken.numUpdatedRows === 1n;
  }

  async finish(plugin: string, deliveryId: string, ok: boolean): Promise<void> {
    await this.database.db
      .updateTable('webhook_deliveries')
      .set({ state: ok ? 'done' : 'failed' })
      .where('plugin', '=', checkPluginName(plugin))
      .where('delivery_id', '=', portableText(deliveryId))
      .execute();
  }

  async prune(olderThan: Date): Promise<number> {
    const result = await this.database.db.deleteFrom('webhook_deliveries').where('received_at', '<', olderThan.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
