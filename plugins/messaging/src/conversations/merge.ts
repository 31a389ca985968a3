// A merged contact's conversations and consent move with the person. Whoever merges
// contacts raises core.contact_merged in the merge's transaction (before deleting the
// merged contact), and this subscriber runs in that same transaction: a merge never
// loses a message, and never half-moves a thread.
import { defineSubscriber, tenantSql, type TenantTx } from '@soshogle/core';

export const moveMessagesOfMergedContact = defineSubscriber({
  name: 'move_messages_of_merged_contact',
  event: 'core.contact_merged',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { contactId: keepId, mergedContactId: mergeId } = event.payload;
    // Set-based moves of a foreign key: raw SQL, each statement naming the tenant.
    const tx = db as unknown as Pick<TenantTx, '$executeRaw'>;
    // One conversation per contact and channel: where both have one, the merged thread's
    // messages join the kept one, which keeps the earliest start and the latest activity.
    const t = tenantSql(tenantId);
    await tx.$executeRaw(t`
      update "Message" m set "conversationId" = k.id
      from "Conversation" d
      join "Conversation" k on k.channel = d.channel and k."contactId" = ${keepId} and ${t.owns('k')}
      where d."contactId" = ${mergeId} and ${t.owns('d')} and m."conversationId" = d.id and ${t.owns('m')}`);
    await tx.$executeRaw(t`
      update "Conversation" k set
        "createdAt" = least(k."createdAt", d."createdAt"), "updatedAt" = greatest(k."updatedAt", d."updatedAt"),
        "lastMessageAt" = greatest(k."lastMessageAt", d."lastMessageAt"), "lastInboundAt" = greatest(k."lastInboundAt", d."lastInboundAt")
      from "Conversation" d
      where d."contactId" = ${mergeId} and ${t.owns('d')}
        and k."contactId" = ${keepId} and ${t.owns('k')} and k.channel = d.channel`);
    await tx.$executeRaw(t`
      delete from "Conversation" d using "Conversation" k
      where d."contactId" = ${mergeId} and ${t.owns('d')}
        and k."contactId" = ${keepId} and ${t.owns('k')} and k.channel = d.channel`);
    await tx.$executeRaw(t`update "Conversation" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
    await tx.$executeRaw(t`update "Message" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
    // The consent ledger follows too: an opt-out given as either record still holds, as
    // the newest entry per channel.
    await tx.$executeRaw(t`update "ConsentChange" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
  },
});
