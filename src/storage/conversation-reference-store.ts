import { inject, injectable } from 'inversify';
import type { Platform, QualifiedId } from '../core/identity.js';
import { OpsroomError } from '../core/errors.js';
import { checkDate, checkPlatform, checkText } from './check-input.js';
import { Database } from './database.js';
import { portableText } from './portable-text.js';

/** A stored reference: the JSON an adapter handed over, parsed again. */
export interface StoredReference {
  channelId: QualifiedId;
  reference: unknown;
}

/** The conversation references adapters capture, so that posting to a channel survives a restart. */
export const ConversationReferenceStore = Symbol('ConversationReferenceStore');
export interface ConversationReferenceStore {
  /** Every reference of a platform, oldest change first; a row that is not JSON comes back as its raw text. */
  list(platform: Platform): Promise<StoredReference[]>;
  /** Inserts or replaces the reference of a channel. */
  save(platform: Platform, channelId: QualifiedId, reference: unknown, at: Date): Promise<void>;
  /** Forgets the reference of a channel; true when there was one. */
  remove(platform: Platform, channelId: QualifiedId): Promise<boolean>;
}

function toJson(reference: unknown, channelId: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(reference);
  } catch (error) {
    throw new OpsroomError('E_INTERNAL', `the conversation reference of ${channelId} is not JSON-serializable`, { cause: error });
  }
  if (text === undefined || typeof reference !== 'object' || reference === null) {
    throw new OpsroomError('E_INTERNAL', `the conversation reference of ${channelId} must be a JSON object`);
  }
  return portableText(text);
}

function fromJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Handed to the adapter as it is: its restore names the entry and says what is wrong.
    return text;
  }
}

@injectable()
export class ConversationReferenceStoreImpl implements ConversationReferenceStore {
  constructor(@inject(Database) private readonly database: Database) {}

  async list(platform: Platform): Promise<StoredReference[]> {
    const rows = await this.database.db
      .selectFrom('conversation_references')
      .select(['channel_id', 'reference'])
      .where('platform', '=', checkPlatform(platform, 'platform'))
      .orderBy('updated_at')
      .orderBy('channel_id')
      .execute();
    return rows.map((row) => ({ channelId: row.channel_id, reference: fromJson(row.reference) }));
  }

  async save(platform: Platform, channelId: QualifiedId, reference: unknown, at: Date): Promise<void> {
    const row = {
      platform: checkPlatform(platform, 'platform'),
      channel_id: portableText(checkText(channelId, 'channelId')),
      reference: toJson(reference, channelId),
      updated_at: checkDate(at, 'at').toISOString(),
    };
    await this.database.db
      .insertInto('conversation_references')
      .values(row)
      .onConflict((conflict) => conflict.columns(['platform', 'channel_id']).doUpdateSet({ reference: row.reference, updated_at: row.updated_at }))
      .execute();
  }

  async remove(platform: Platform, channelId: QualifiedId): Promise<boolean> {
    const result = await this.database.db
      .deleteFrom('conversation_references')
      .where('platform', '=', checkPlatform(platform, 'platform'))
      .where('channel_id', '=', portableText(checkText(channelId, 'channelId')))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
