// The booker's link to reschedule or cancel: `<appointment id>-<signature>`, signed with the
// installation's keys (ctx.secrets.sign), so the confirmation and every reminder can carry it
// without the token being stored, and a database leak hands out no working links. Only
// appointments booked on the page have a booker to hand one to. Links sent before links were
// signed (32 random bytes) are still found by their stored sha256 (Appointment.manageTokenHash).
import { createHash } from 'node:crypto';
import type { Secrets } from '@soshogle/core';

type Signer = Pick<Secrets, 'sign' | 'verify'>;
const purpose = 'manage-link';

/** The appointments whose booker has a manage link: those booked on the public page. */
export const linkedSource = 'BOOKING_PAGE';

export const hashManageToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A signature's length (HMAC-SHA256 in base64url); a token from before signing is exactly this long too. */
const signatureLength = 43;

/**
 * The manage token of an appointment: the same on every process, and after a reschedule or
 * cancel. No dot in it: the UI server would take what follows for a file's extension.
 */
export const manageToken = (secrets: Signer, appointmentId: string) => `${appointmentId}-${secrets.sign(purpose, appointmentId)}`;

function split(token: string): { appointmentId: string; signature: string } | null {
  if (token.length <= signatureLength + 1 || token.at(-signatureLength - 1) !== '-') return null;
  return { appointmentId: token.slice(0, -signatureLength - 1), signature: token.slice(-signatureLength) };
}

/** What a token presented names: a signed appointment id, else (an older link) the hash to look up; null for a bad signature. */
export function readManageToken(secrets: Signer, token: string): { appointmentId: string } | { hash: string } | null {
  const signed = split(token);
  if (!signed) return { hash: hashManageToken(token) };
  return secrets.verify(purpose, signed.appointmentId, signed.signature) ? { appointmentId: signed.appointmentId } : null;
}

/** The appointment id a token claims, unverified: for finding the tenant before the handler checks the signature. */
export const claimedAppointmentId = (token: string): string | null => split(token)?.appointmentId ?? null;

/** Where the public page's manage screen is (the UI serves /book/manage/:token). */
export const managePath = (token: string) => `/book/manage/${token}`;
