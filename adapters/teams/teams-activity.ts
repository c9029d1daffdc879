/** The parts of a Bot Framework activity from Teams that opsroom reads; everything is optional on the wire. */
export interface TeamsAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

export interface TeamsEntity {
  type?: string;
  text?: string;
  mentioned?: TeamsAccount;
  [key: string]: unknown;
}

export interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  eventType?: string;
  source?: { name?: string };
  [key: string]: unknown;
}

export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  channelId: string;
  serviceUrl: string;
  timestamp?: Date;
  from: TeamsAccount;
  recipient: TeamsAccount;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  text?: string;
  entities?: TeamsEntity[];
  channelData?: TeamsChannelData;
  replyToId?: string;
  value?: unknown;
  action?: string;
  membersAdded?: TeamsAccount[];
  membersRemoved?: TeamsAccount[];
  reactionsAdded?: Array<{ type?: string }>;
  reactionsRemoved?: Array<{ type?: string }>;
  [key: string]: unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tenant an activity comes from, as Teams puts it in channelData (or, in older payloads, on the conversation). */
export function tenantOf(activity: TeamsActivity): string | undefined {
  return activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
}
