// Stroke icons (24x24) for the node cards: one per kind of step, and a few per kind of action.
import type { StepType } from './types.ts';

export const icons = {
  trigger: 'M13 2 4 14h7l-1 8 9-12h-7z',
  branch: 'M6 3v6a4 4 0 0 0 4 4h4a4 4 0 0 1 4 4v4M6 21v-8M18 3v4m-3-1 3-3 3 3',
  wait: 'M12 7v5l3 2M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  goal: 'M5 21V4m0 0h11l-2 4 2 4H5',
  end: 'M6 6h12v12H6z',
  action: 'M5 12h14m-6-6 6 6-6 6',
  sms: 'M4 4h16v12H8l-4 4z',
  email: 'M3 6h18v12H3zm0 0 9 7 9-7',
  tag: 'M3 12V3h9l9 9-9 9zM7.5 7.5h.01',
  note: 'M6 3h9l4 4v14H6zM9 12h6m-6 4h6',
  webhook: 'M10 13a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1m2 7a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4zm4 4h4',
  deal: 'M3 7h18v12H3zm6 0V4h6v3',
  user: 'M16 8a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM4 21a8 8 0 0 1 16 0',
  plus: 'M12 5v14M5 12h14',
};

/** The icon of a step: its kind, or for an action what the action does. */
export function iconOf(type: StepType | 'trigger', action?: string): string {
  if (type !== 'action') return icons[type];
  const a = action ?? '';
  if (/sms|whatsapp|messenger|instagram|message/.test(a)) return icons.sms;
  if (/email/.test(a)) return icons.email;
  if (/tag/.test(a)) return icons.tag;
  if (/note/.test(a)) return icons.note;
  if (/webhook/.test(a)) return icons.webhook;
  if (/notify/.test(a)) return icons.bell;
  if (/deal/.test(a)) return icons.deal;
  if (/contact|field/.test(a)) return icons.user;
  return icons.action;
}

/** Each kind's colour on the canvas. */
export const tones: Record<StepType | 'trigger', string> = {
  trigger: '#4f46e5',
  action: '#0e7490',
  branch: '#b45309',
  wait: '#7c3aed',
  goal: '#15803d',
  end: '#475569',
};

export const kindLabels: Record<StepType | 'trigger', string> = {
  trigger: 'Trigger',
  action: 'Action',
  branch: 'If / else',
  wait: 'Wait',
  goal: 'Goal',
  end: 'End',
};
