import type { Prisma, PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';

export interface AuditEntry {
  /** The account whose log this goes in. */
  userId: string;
  /** Who did it (default: the account itself). */
  actorId?: string | null;
  action: string;
  details?: Prisma.InputJsonValue;
}

/** Records a security-relevant event, with the request's address and user agent. */
export async function audit(db: PrismaClient | Prisma.TransactionClient, http: Context | undefined, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      userId: entry.userId,
      actorId: entry.actorId === undefined ? entry.userId : entry.actorId,
      action: entry.action,
      ip: http?.ip ?? null,
      userAgent: http?.get('user-agent')?.slice(0, 300) || null,
      ...(entry.details === undefined ? {} : { details: entry.details }),
    },
  });
}
