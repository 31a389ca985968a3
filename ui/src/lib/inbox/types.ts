// The inbox's words for the messaging API's answers (typed from its OpenAPI document), and
// the helpers its screens share.
import type { Schema } from '../api.ts';
import { format } from '../resource.svelte.ts';

export type Message = Schema<'Message'>;
export type Conversation = Schema<'Conversation'>;
export type ContactSummary = Schema<'ConversationContact'>;
export type ChannelMode = Schema<'MessagingChannel'>;
export type Consent = Schema<'Consent'>;
export type Channel = Message['channel'];
export type CallEntry = NonNullable<Message['call']>;

export const channels: Channel[] = ['SMS', 'EMAIL', 'WHATSAPP', 'FACEBOOK', 'INSTAGRAM', 'VOICE'];
export const channelNames: Record<Channel, string> = { SMS: 'SMS', EMAIL: 'Email', WHATSAPP: 'WhatsApp', FACEBOOK: 'Messenger', INSTAGRAM: 'Instagram', VOICE: 'Calls' };

/** The agent's judgement of a call (ElevenLabs' call_successful) in words; a value we do not know yet is shown as it came. */
export function callOutcomeLabel(outcome: string | null | undefined): string {
  if (outcome === 'success') return 'Successful';
  if (outcome === 'failure') return 'Unsuccessful';
  return outcome ? format.words(outcome) : 'Unknown';
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
