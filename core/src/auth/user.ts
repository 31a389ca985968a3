import type { Prisma } from '@soshogle/db';

/** The columns of User that its owner may see (never the password hash). */
export const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerified: true,
  timezone: true,
  onboardingStep: true,
  onboardingComplete: true,
  businessName: true,
  agencyId: true,
  createdAt: true,
} satisfies Prisma.UserSelect;
