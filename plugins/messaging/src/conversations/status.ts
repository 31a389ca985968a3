// Delivery status reported by a provider, applied in order: a late "sent" never moves a
// delivered message back, and a failure after delivery (a read receipt lost) is ignored.
import type { TenantTx } from '@soshogle/core';
import type { Message, MessageStatus, Prisma } from '@soshogle/db';

const rank: Record<MessageStatus, number> = { QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3, FAILED: 2 };

export interface StatusReport {
  status: MessageStatus;
  /** The provider's event name (delivered, open, bounce...), recorded as a MessageEvent. */
  event: string;
  error?: string | null;
  data?: Prisma.InputJsonValue;
  occurredAt?: Date;
}

/** Records the event and moves the message's status forward. */
export async function applyStatus(tx: TenantTx, tenantId: string, message: Pick<Message, 'id' | 'status'>, report: StatusReport): Promise<void> {
  await tx.messageEvent.create({
    data: { userId: tenantId, messageId: message.id, type: report.event, occurredAt: report.occurredAt ?? new Date(), ...(report.data === undefined ? {} : { data: report.data }) },
  });
  if (rank[report.status] <= rank[message.status]) return;
  await tx.message.updateMany({
    where: { id: message.id, status: message.status },
    data: { status: report.status, ...(report.status === 'FAILED' ? { error: report.error ?? 'The provider reported a failure' } : {}) },
  });
}
