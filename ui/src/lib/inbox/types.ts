// The inbox's view of the messaging API (GET /api/messaging/conversations and friends).
export type Channel = 'SMS' | 'EMAIL' | 'WHATSAPP' | 'FACEBOOK' | 'INSTAGRAM';
export const channels: Channel[] = ['SMS', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'INSTAGRAM'];
export const channelNames: Record<Channel, string> = { SMS: 'SMS', EMAIL: 'Email', WHATSAPP: 'WhatsApp', FACEBOOK: 'Messenger', INSTAGRAM: 'Instagram' };

export interface ContactSummary {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

export interface Message {
  id: string;
  content: string;
  subject: string | null;
  channel: Channel;
  direction: 'INBOUND' | 'OUTBOUND';
  status: 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED' | 'CANCELLED';
  sandbox: boolean;
  sendAfter: string | null;
  needsReview: boolean;
  error: string | null;
  createdAt: string;
  events?: { type: string; occurredAt: string }[];
}

export interface Conversation {
  id: string;
  channel: Channel;
  contactId: string;
  address: string | null;
  lastMessageAt: string | null;
  lastReadAt: string | null;
  unreadCount: number;
  contact: ContactSummary;
  lastMessage?: Message | null;
}

export type { Page } from '../api.ts';

export interface ChannelMode {
  channel: Channel;
  provider: string;
  mode: 'live' | 'sandbox';
}

export interface Consent {
  channels: Record<Channel, { doNotDisturb: boolean }>;
  history: { id: string; channel: Channel; doNotDisturb: boolean; source: string; reason: string; createdAt: string }[];
}

export function contactName(c: ContactSummary | null | undefined): string {
  if (!c) return 'Unknown contact';
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ').trim();
  return name || c.email || c.phone || 'Unnamed contact';
}

/** "14:05" today, "Mon" this week, else a short date: what a list of conversations shows. */
export function shortTime(value: string | null | undefined, now = new Date()): string {
  if (!value) return '';
  const at = new Date(value);
  const days = (now.getTime() - at.getTime()) / 86_400_000;
  if (at.toDateString() === now.toDateString()) return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (days < 6) return at.toLocaleDateString(undefined, { weekday: 'short' });
  return at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Newest-first pages merged into one list by id, oldest first (how a thread reads). */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
