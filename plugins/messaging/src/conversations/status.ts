// Delivery status reported by a provider, applied in order: a late "sent" never moves a
// delivered message back, and a failure after delivery (a read receipt lost) is ignored.
// Each report that says something new about the message raises messaging.message_event.
import type { Events, TenantTx } from '@soshogle/core';
import type { Message, MessageStatus, Prisma } from '@soshogle/db';
import { raiseMessageEvents, type MessageEventKind, type ReportedMessage } from '../message-events.ts';

const rank: Record<MessageStatus, number> = { QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3, FAILED: 2, CANCELLED: 4 };

export interface StatusReport {
  status: MessageStatus;
  /** The provider's event name (delivered, open, bounce...), recorded as a MessageEvent. */
  event: string;
  /** What it means, for messaging.message_event; null or absent: recorded only. */
  kind?: MessageEventKind | null;
  error?: string | null;
  url?: string | null;
  data?: Prisma.InputJsonValue;
  occurredAt?: Date;
}

export interface StatusScope {
  tx: TenantTx;
  tenantId: string;
  events: Events;
}

/** The status after a report: forward only, and a failure after delivery is ignored. */
export const statusAfter = (current: MessageStatus, reported: MessageStatus): MessageStatus => (rank[reported] > rank[current] ? reported : current);

/** Records the event, moves the message's status forward and raises what it means. */
export async function applyStatus(scope: StatusScope, message: ReportedMessage & Pick<Message, 'status'>, report: StatusReport): Promise<void> {
  const { tx, tenantId } = scope;
  const occurredAt = report.occurredAt ?? new Date();
  await tx.messageEvent.create({
    data: { userId: tenantId, messageId: message.id, type: report.event, occurredAt, ...(report.data === undefined ? {} : { data: report.data }) },
  });
  if (report.kind) await raiseMessageEvents(scope, [{ message, kind: report.kind, occurredAt, url: report.url ?? null, error: report.error ?? null }]);
  if (statusAfter(message.status, report.status) === message.status) return;
  await tx.message.updateMany({
    where: { id: message.id, status: message.status },
    data: { status: report.status, ...(report.status === 'FAILED' ? { error: report.error ?? 'The provider reported a failure' } : {}) },
  });
}
