// A merged contact's conversations and consent move with the person. Whoever merges
// contacts raises core.contact_merged in the merge's transaction (before deleting the
// merged contact), and this subscriber runs in that same transaction: a merge never
// loses a message, and never half-moves a thread.
import { defineSubscriber, type TenantTx } from '@soshogle/core';

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
    await tx.$executeRaw`
      update "Message" m set "conversationId" = k.id
      from "Conversation" d
      join "Conversation" k on k.channel = d.channel and k."contactId" = ${keepId} and k."userId" = ${tenantId}
      where d."contactId" = ${mergeId} and d."userId" = ${tenantId} and m."conversationId" = d.id and m."userId" = ${tenantId}`;
    await tx.$executeRaw`
      update "Conversation" k set
        "createdAt" = least(k."createdAt", d."createdAt"), "updatedAt" = greatest(k."updatedAt", d."updatedAt"),
        "lastMessageAt" = greatest(k."lastMessageAt", d."lastMessageAt"), "lastInboundAt" = greatest(k."lastInboundAt", d."lastInboundAt")
      from "Conversation" d
      where d."contactId" = ${mergeId} and d."userId" = ${tenantId}
        and k."contactId" = ${keepId} and k."userId" = ${tenantId} and k.channel = d.channel`;
    await tx.$executeRaw`
      delete from "Conversation" d using "Conversation" k
      where d."contactId" = ${mergeId} and d."userId" = ${tenantId}
        and k."contactId" = ${keepId} and k."userId" = ${tenantId} and k.channel = d.channel`;
    await tx.$executeRaw`update "Conversation" set "contactId" = ${keepId} where "contactId" = ${mergeId} and "userId" = ${tenantId}`;
    await tx.$executeRaw`update "Message" set "contactId" = ${keepId} where "contactId" = ${mergeId} and "userId" = ${tenantId}`;
    // The consent ledger follows too: an opt-out given as either record still holds, as
    // the newest entry per channel.
    await tx.$executeRaw`update "ConsentChange" set "contactId" = ${keepId} where "contactId" = ${mergeId} and "userId" = ${tenantId}`;
  },
});
