import type { IncomingMessage } from 'node:http';
import { isRecord, type TeamsActivity } from './teams-activity.js';

export type ReadResult = { ok: true; activity: TeamsActivity } | { ok: false; status: 400; reason: string };

function rejected(reason: string): ReadResult {
  return { ok: false, status: 400, reason };
}

/** Reads the body up to `maxBytes`; resolves undefined when it is larger (the rest is discarded, not buffered). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      if (tooBig) return;
      size += chunk.length;
      if (size > maxBytes) {
        // Answer now; whatever else arrives is discarded, never buffered.
        tooBig = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooBig) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function hasId(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && value.id.length > 0;
}

/** Why a parsed body is not an activity opsroom can authenticate and handle; undefined when it is one. */
export function activityProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body is not a JSON object';
  if (typeof body.type !== 'string' || body.type.length === 0) return 'the activity has no type';
  if (!isHttpUrl(body.serviceUrl)) return 'the activity has no http(s) serviceUrl';
  if (typeof body.channelId !== 'string' || body.channelId.length === 0) return 'the activity has no channelId';
  if (!hasId(body.conversation)) return 'the activity has no conversation.id';
  if (!hasId(body.from)) return 'the activity has no from.id';
  if (!hasId(body.recipient)) return 'the activity has no recipient.id';
  if (body.entities !== undefined && !Array.isArray(body.entities)) return 'the activity entities are not a list';
  if (body.channelData !== undefined && !isRecord(body.channelData)) return 'the activity channelData is not an object';
  return undefined;
}

/** As botbuilder's own request path does: ISO timestamps become Dates, the raw strings are kept. */
function fixTimestamps(activity: Record<string, unknown>): void {
  for (const field of ['timestamp', 'localTimestamp', 'expiration']) {
    const value = activity[field];
    if (typeof value !== 'string') continue;
    activity[`raw${field[0]?.toUpperCase()}${field.slice(1)}`] = value;
    activity[field] = new Date(value);
  }
}

/** Reads and checks a POSTed activity before botbuilder sees it, so a malformed body can never reach (and crash) it. */
export async function readActivity(req: IncomingMessage, maxBytes: number): Promise<ReadResult> {
  const body = await readBody(req, maxBytes);
  if (body === undefined) return rejected(`the body is larger than ${maxBytes} bytes`);
  if (body.length === 0) return rejected('the body is empty; an activity was expected');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return rejected('the body is not valid JSON');
  }
  const problem = activityProblem(parsed);
  if (problem) return rejected(problem);
  fixTimestamps(parsed as Record<string, unknown>);
  return { ok: true, activity: parsed as TeamsActivity };
}
