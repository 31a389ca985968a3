// The booker's link to reschedule or cancel: 32 random bytes, of which only the sha256 is
// stored (Appointment.manageTokenHash), so a database leak hands out no working links.
import { createHash, randomBytes } from 'node:crypto';

export const hashManageToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function newManageToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashManageToken(token) };
}

/** Where the public page's manage screen is (the UI serves /book/manage/:token). */
export const managePath = (token: string) => `/book/manage/${token}`;
