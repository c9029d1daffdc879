import type { CommandResult } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';
import type { MessageAttachment, OutboundMessage } from '../core/message.js';

/** An attachment as JSON carries it: the bytes in base64. */
interface WireAttachment {
  name: string;
  contentType: string;
  base64: string;
}

type WireMessage = Omit<OutboundMessage, 'attachments'> & { attachments?: WireAttachment[] };

/** A message as it crosses to another process: JSON, with attachment bytes in base64. */
export function toWireMessage(message: OutboundMessage): WireMessage {
  if (!message.attachments) return message as WireMessage;
  return {
    ...message,
    attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, base64: Buffer.from(a.data).toString('base64') })),
  };
}

export function fromWireMessage(value: unknown): OutboundMessage {
  if (typeof value !== 'object' || value === null || typeof (value as { text?: unknown }).text !== 'string') {
    throw new OpsroomError('E_CLUSTER', 'a cluster peer sent a message without text');
  }
  const wire = value as WireMessage;
  if (!wire.attachments) return wire as OutboundMessage;
  const attachments: MessageAttachment[] = wire.attachments.map((a) => ({ name: a.name, contentType: a.contentType, data: Buffer.from(a.base64, 'base64') }));
  return { ...wire, attachments };
}

/** A command's result for the trip back: nothing becomes null, which JSON keeps. */
export function toWireResult(result: CommandResult): string | WireMessage | null {
  if (result === undefined || result === null) return null;
  return typeof result === 'string' ? result : toWireMessage(result);
}

export function fromWireResult(value: unknown): CommandResult {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : fromWireMessage(value);
}
