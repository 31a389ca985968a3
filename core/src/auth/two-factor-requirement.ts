// Who must use two-factor sign-in: an account whose own setting says so (set by an admin,
// or by an agency for itself), or a sub-account whose agency's does. One without it on is
// signed in only to set it up: its sessions carry twoFactorSetupRequired, kept in step here.
import type { Prisma, PrismaClient } from '@soshogle/db';

export const requirementSelect = {
  id: true,
  role: true,
  twoFactorRequired: true,
  twoFactorEnabledAt: true,
  agency: { select: { twoFactorRequired: true } },
} satisfies Prisma.UserSelect;
type RequirementRow = Prisma.UserGetPayload<{ select: typeof requirementSelect }>;

export const requiredFor = (u: RequirementRow) => u.twoFactorRequired || (u.role === 'SUB_ACCOUNT' && !!u.agency?.twoFactorRequired);
const setupDueFor = (u: RequirementRow) => requiredFor(u) && !u.twoFactorEnabledAt;

/** Whether the account must set up two-factor sign-in before anything else (required, not on). */
export async function twoFactorSetupDue(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: requirementSelect });
  return !!user && setupDueFor(user);
}

/**
 * Brings the sessions of the accounts `where` selects in line with their requirement: after
 * it is switched on or off, or two-factor sign-in is enabled or removed.
 */
export async function syncTwoFactorSetup(db: PrismaClient | Prisma.TransactionClient, where: Prisma.UserWhereInput): Promise<void> {
  const users = await db.user.findMany({ where, select: requirementSelect });
  const due = users.filter(setupDueFor).map((u) => u.id);
  const notDue = users.filter((u) => !setupDueFor(u)).map((u) => u.id);
  if (due.length) await db.session.updateMany({ where: { userId: { in: due }, twoFactorSetupRequired: false }, data: { twoFactorSetupRequired: true } });
  if (notDue.length) await db.session.updateMany({ where: { userId: { in: notDue }, twoFactorSetupRequired: true }, data: { twoFactorSetupRequired: false } });
}

