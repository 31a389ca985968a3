import type { Prisma } from '@soshogle/db';
import type { Context } from 'koa';
import { audit } from './audit.ts';

/** Whether `address` is in ADMIN_EMAILS. */
export function isAdminEmail(adminEmails: string[] | undefined, address: string): boolean {
  return (adminEmails ?? []).includes(address);
}

/**
 * The owner of a user's email address has just proven it (verification link, reset link,
 * Google). The address counts as verified, and ADMIN_EMAILS apply only now: anyone can
 * sign up with any address.
 *
 * `takeOver`: the proof also hands the account to the owner (reset, Google). A
 * self-registered account whose address was never proven was made by whoever typed the
 * address, so its sessions and API keys end. Returns whether that happened, so the
 * caller can also replace the password.
 */
export async function emailProven(
  tx: Prisma.TransactionClient,
  http: Context,
  adminEmails: string[] | undefined,
  userId: string,
  options: { takeOver: boolean },
): Promise<{ squatted: boolean }> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerified: true, password: true, role: true } });
  const squatted = options.takeOver && !user.emailVerified && user.password !== null;
  const promote = user.role === 'USER' && isAdminEmail(adminEmails, user.email);
  await tx.user.update({ where: { id: userId }, data: { emailVerified: user.emailVerified ?? new Date(), ...(promote ? { role: 'ADMIN' } : {}) } });
  if (squatted) {
    await tx.session.deleteMany({ where: { userId } });
    await tx.apiKey.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
  if (promote) {
    await audit(tx, http, { userId, actorId: null, action: 'user.role_changed', details: { from: 'USER', to: 'ADMIN', reason: 'ADMIN_EMAILS' } });
  }
  return { squatted };
}
