// What the inbox answers: a message and a conversation, one schema each, reused by every
// route that answers them; and the columns the routes read, so that a message's
// unsubscribe secret and idempotency key never leave the server.
import { isoDate } from '@soshogle/core';
import { MessageChannel, MessageDirection, MessageStatus, type Message, type Prisma } from '@soshogle/db';
import { z } from 'zod';

export const messageEventResponse = z
  .object({
    type: z.string().describe('delivered, open, click, bounce, dropped, spamreport, unsubscribe, failed, read'),
    occurredAt: isoDate,
    data: z.unknown().describe("The provider's details (the URL clicked, the bounce reason), or null"),
  })
  .meta({ id: 'MessageEvent', description: 'What happened to a message after it left, as its provider reported it' });

/** One turn of a call's transcript as the inbox shows it: who spoke, what they said, when. */
export const callTurn = z.object({
  role: z.enum(['agent', 'user']).describe('agent: the AI agent; user: the person on the phone'),
  text: z.string().max(100_000),
  atSecond: z.number().min(0).nullable().describe('Seconds into the call'),
});

/** What a call entry (VOICE) holds besides its text, as the voice plugin gave it (messaging.record_call). */
export const callEntry = z
  .object({
    callId: z.string().describe("The call's id in the voice plugin (GET /api/voice/calls/:id)"),
    status: z.enum(['COMPLETED', 'VOICEMAIL', 'BUSY', 'NO_ANSWER', 'FAILED']),
    duration: z.number().int().min(0).nullable().describe('Seconds'),
    outcome: z.string().nullable().describe("The agent's judgement of the call: success, failure or unknown"),
    summary: z.string().nullable(),
    transcript: z.array(callTurn).describe('Turn by turn, in order'),
    recordingUrl: z.string().nullable().describe('Where the recording plays for the signed-in account (e.g. /api/voice/calls/:id/recording); null: none'),
  })
  .meta({ id: 'CallEntry', description: 'A phone call in a conversation: how it ended, the transcript turn by turn and the recording' });

export const messageResponse = z
  .object({
    id: z.string(),
    contactId: z.string().nullable(),
    conversationId: z.string().nullable(),
    channel: z.enum(MessageChannel),
    direction: z.enum(MessageDirection),
    status: z.enum(MessageStatus),
    content: z.string().describe('The text (an email: its text body)'),
    subject: z.string().nullable(),
    html: z.string().nullable().describe('An email: its HTML body'),
    from: z.string(),
    to: z.string(),
    provider: z.string().nullable().describe('The provider that sent it (e.g. twilio); null for inbound and sandbox messages'),
    providerMessageId: z.string().nullable().describe("The provider's id for it; a call entry (VOICE): the call's id in the voice plugin (GET /api/voice/calls/:id)"),
    sandbox: z.boolean().describe('Recorded in sandbox mode (no provider connected): never sent'),
    sendAfter: isoDate.nullable().describe('Quiet hours hold it until then'),
    needsReview: z.boolean().describe('The provider was called but its answer never came: it is not sent again'),
    error: z.string().nullable().describe("Why it failed, in the provider's words"),
    createdAt: isoDate,
    updatedAt: isoDate,
    events: z.array(messageEventResponse).optional().describe('Its delivery events, oldest first (where the route reads them)'),
    call: callEntry.nullable().optional().describe("A call entry (VOICE): the call's outcome, transcript and recording (not in the conversation list's lastMessage)"),
  })
  .meta({ id: 'Message', description: 'An SMS, email, WhatsApp, Messenger or Instagram message, sent or received' });

/** The message columns a client sees (a Prisma select). */
export const messageColumns = {
  id: true,
  contactId: true,
  conversationId: true,
  channel: true,
  direction: true,
  status: true,
  content: true,
  subject: true,
  html: true,
  from: true,
  to: true,
  provider: true,
  providerMessageId: true,
  sandbox: true,
  sendAfter: true,
  needsReview: true,
  error: true,
  call: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.MessageSelect;
export const eventColumns = { type: true, occurredAt: true, data: true } as const satisfies Prisma.MessageEventSelect;

type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageColumns }>;
type CallEntry = z.output<typeof callEntry>;

/** A row's call entry as the API shows it; anything unexpected in the JSON is left out, not a 500. */
export function withCallEntry<T extends { call: Prisma.JsonValue }>(row: T): Omit<T, 'call'> & { call: CallEntry | null } {
  const parsed = row.call === null ? null : callEntry.safeParse(row.call);
  return { ...row, call: parsed?.success ? parsed.data : null };
}

/** A message row as a client sees it: only the columns of `messageColumns`. */
export function shownMessage(message: Message): ReturnType<typeof withCallEntry<MessageRow>> {
  const shown: Partial<Record<keyof MessageRow, unknown>> = {};
  for (const key of Object.keys(messageColumns) as (keyof MessageRow)[]) shown[key] = message[key];
  return withCallEntry(shown as MessageRow);
}

const contactSummary = z
  .object({ id: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() })
  .meta({ id: 'ConversationContact', description: 'Who a conversation is with' });
export const contactColumns = { id: true, firstName: true, lastName: true, email: true, phone: true } as const satisfies Prisma.ContactSelect;

export const conversationResponse = z
  .object({
    id: z.string(),
    contactId: z.string(),
    channel: z.enum(MessageChannel),
    address: z.string().nullable().describe("The contact's address on the channel: a phone number, an email address, or Meta's id for the person"),
    lastMessageAt: isoDate.nullable(),
    lastInboundAt: isoDate.nullable().describe('WhatsApp allows free-form replies for 24 hours after it'),
    lastReadAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    unreadCount: z.number().int().describe('Inbound messages since it was last read'),
    contact: contactSummary,
    lastMessage: messageResponse.nullable().optional().describe('The newest message (in the inbox list)'),
  })
  .meta({ id: 'Conversation', description: "A contact's thread on one channel" });
