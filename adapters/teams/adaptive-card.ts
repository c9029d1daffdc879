import type { Card, MessageButton } from '../../src/core/message.js';

export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams: { width: 'Full' };
}

const BUTTON_STYLES: Record<NonNullable<MessageButton['style']>, string> = {
  primary: 'positive',
  danger: 'destructive',
  secondary: 'default',
};

/** What a pressed button sends back: the button id and its value. */
export function buttonData(button: MessageButton): { actionId: string; value: Record<string, unknown> } {
  return { actionId: button.id, value: button.value ?? {} };
}

/** A button as a Universal Action, with Action.Submit as the fallback for clients without Action.Execute. */
function buttonAction(button: MessageButton): AdaptiveElement {
  const data = buttonData(button);
  return {
    type: 'Action.Execute', id: button.id, title: button.label, verb: button.id, data,
    ...(button.style ? { style: BUTTON_STYLES[button.style] } : {}),
    fallback: { type: 'Action.Submit', title: button.label, data },
  };
}

/** Adaptive Cards have container styles, not colours: the nearest style by hue. */
export function styleOfColor(color: string | undefined): string | undefined {
  const match = /^#?([0-9a-f]{6})$/i.exec(color ?? '');
  if (!match?.[1]) return undefined;
  const value = Number.parseInt(match[1], 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => c / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 0.1) return 'emphasis';
  const delta = max - min;
  const hue = max === r ? ((g - b) / delta + 6) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  const degrees = hue * 60;
  if (degrees < 20 || degrees >= 330) return 'attention';
  if (degrees < 70) return 'warning';
  if (degrees < 170) return 'good';
  if (degrees < 260) return 'accent';
  return 'emphasis';
}

function textBlock(text: string, extra: AdaptiveElement = {}): AdaptiveElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

function cardBody(card: Card): AdaptiveElement[] {
  const items: AdaptiveElement[] = [];
  if (card.title) items.push(textBlock(card.title, { size: 'Medium', weight: 'Bolder' }));
  if (card.text) items.push(textBlock(card.text));
  if (card.fields?.length) items.push({ type: 'FactSet', facts: card.fields.map((f) => ({ title: f.name, value: f.value })) });
  if (card.footer) items.push(textBlock(card.footer, { size: 'Small', isSubtle: true }));
  const style = styleOfColor(card.color);
  return style && items.length > 0 ? [{ type: 'Container', style, bleed: true, items }] : items;
}

/** An Adaptive Card 1.5 of some text, an optional card and buttons. */
export function renderAdaptiveCard(text: string, card: Card | undefined, buttons: MessageButton[] | undefined): AdaptiveCard {
  const body: AdaptiveElement[] = [];
  if (text.length > 0) body.push(textBlock(text));
  if (card) body.push(...cardBody(card));
  const actions: AdaptiveElement[] = [];
  if (card?.url) actions.push({ type: 'Action.OpenUrl', title: 'Open', url: card.url });
  for (const button of buttons ?? []) actions.push(buttonAction(button));
  return {
    type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body,
    ...(actions.length > 0 ? { actions } : {}), msteams: { width: 'Full' },
  };
}
