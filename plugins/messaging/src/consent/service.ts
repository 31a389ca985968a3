// Consent: a contact's do-not-disturb per channel, kept as a ledger of every change (who
// or what made it, when, why). The newest entry per contact and channel is the state;
// no entry means the contact may be messaged.
import type { TenantTx } from '@soshogle/core';
import type { MessageChannel, Prisma } from '@soshogle/db';

export type ConsentSource = 'keyword' | 'unsubscribe_link' | 'unsubscribe' | 'spam_report' | 'bounce' | 'user' | 'api' | 'form';

export interface ConsentChangeInput {
  contactId: string;
  channel: MessageChannel;
  doNotDisturb: boolean;
  source: ConsentSource;
  reason: string;
  actorId?: string | null;
  messageId?: string | null;
  /** What the person agreed to, word for word (an opt-in on a form). */
  wording?: string | null;
  /** Where and how it was given: { formId, submissionId, sourceUrl, ipPrefix }. */
  evidence?: Prisma.InputJsonObject;
}

/** Whether the contact asked not to be messaged on the channel. */
export async function doNotDisturb(tx: TenantTx, contactId: string, channel: MessageChannel): Promise<boolean> {
  return (await optedOutAmong(tx, [contactId], channel)).has(contactId);
}

/** Which of these contacts asked not to be messaged on the channel (their latest change says so). */
export async function optedOutAmong(tx: TenantTx, contactIds: string[], channel: MessageChannel): Promise<Set<string>> {
  if (!contactIds.length) return new Set();
  const latest = await tx.consentChange.findMany({
    where: { contactId: { in: contactIds }, channel },
    distinct: ['contactId'],
    orderBy: [{ contactId: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }],
    select: { contactId: true, doNotDisturb: true },
  });
  return new Set(latest.filter((c) => c.doNotDisturb).map((c) => c.contactId));
}

/**
 * Serialises the changes of one contact's consent on a channel (a STOP and a START racing, an
 * opt-in beside them) until the transaction ends. Several are locked in one order (sorted), in
 * one statement, so two callers sharing some queue up instead of deadlocking.
 */
async function lockConsent(tx: TenantTx, keys: { contactId: string; channel: MessageChannel }[]): Promise<void> {
  const sorted = [...new Set(keys.map(({ contactId, channel }) => `consent:${contactId}:${channel}`))].sort();
  if (sorted.length) await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(k)) from unnest(${sorted}::text[]) k`;
}

/**
 * Records express opt-ins with their wording and evidence, in one INSERT, even when the
 * contact could already be messaged there: the ledger line is the proof of consent. The
 * state after each is "may be messaged".
 */
export async function recordOptIns(tx: TenantTx, tenantId: string, optIns: (Omit<ConsentChangeInput, 'doNotDisturb' | 'reason'> & { wording: string })[]): Promise<void> {
  if (!optIns.length) return;
  await lockConsent(tx, optIns);
  await tx.consentChange.createMany({ data: optIns.map((optIn) => ({ ...optIn, doNotDisturb: false, reason: 'Opted in on a form', userId: tenantId })) });
}

/** Records a change of consent; a change to the state it already has is not recorded. Returns whether it changed. */
export async function changeConsent(tx: TenantTx, tenantId: string, change: ConsentChangeInput): Promise<boolean> {
  await lockConsent(tx, [change]);
  if ((await doNotDisturb(tx, change.contactId, change.channel)) === change.doNotDisturb) return false;
  await tx.consentChange.create({ data: { ...change, userId: tenantId } });
  return true;
}

// The carriers' standard keywords (as Twilio applies them to SMS): the whole message, any case.
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const startWords = new Set(['START', 'YES', 'UNSTOP']);

/** 'stop' or 'start' when the message is one of those keywords. */
export function consentKeyword(body: string | null | undefined): 'stop' | 'start' | null {
  const word = (body ?? '').trim().replace(/[.!]+$/, '').toUpperCase();
  return stopWords.has(word) ? 'stop' : startWords.has(word) ? 'start' : null;
}
