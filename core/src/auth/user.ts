import { Role, type Prisma } from '@soshogle/db';
import { z } from 'zod';
import { isoDate } from '../http/wire.ts';

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
  twoFactorEnabledAt: true,
  twoFactorRequired: true,
} satisfies Prisma.UserSelect;

/** An account as its owner, its agency and admins see it: the columns of `userSelect`. */
export const userResponse = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(Role),
    /** When the email address was confirmed; null until then. */
    emailVerified: isoDate.nullable(),
    timezone: z.string(),
    /** How many onboarding steps are done. */
    onboardingStep: z.number().int(),
    onboardingComplete: z.boolean(),
    businessName: z.string().nullable(),
    /** The agency of a sub-account. */
    agencyId: z.string().nullable(),
    createdAt: isoDate,
    /** When two-factor sign-in was turned on; null while it is off. */
    twoFactorEnabledAt: isoDate.nullable(),
    /** Whether the account (and, for an agency, its sub-accounts) must use two-factor sign-in. */
    twoFactorRequired: z.boolean(),
  })
  .meta({ id: 'User', description: 'An account: a business, an agency, an agency client (sub-account) or an admin' });
