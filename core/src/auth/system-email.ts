import type { PrismaClient } from '@soshogle/db';
import type { Logger } from '../logger.ts';

export interface SystemEmail {
  to: string;
  subject: string;
  text: string;
  /** verify_email, password_reset, signup_existing, ... */
  purpose: string;
}

/**
 * Sends an email the system itself needs (verification, password reset). Until an email
 * provider plugin takes these over, this is sandbox mode: the email is recorded in
 * SystemEmail and logged, and developers read it at GET /api/dev/outbox.
 */
export async function sendSystemEmail(db: PrismaClient, log: Logger, email: SystemEmail): Promise<void> {
  await db.systemEmail.create({ data: { ...email, sentVia: 'sandbox' } });
  log.info({ to: email.to, subject: email.subject, purpose: email.purpose }, 'system email recorded (sandbox mode: see GET /api/dev/outbox)');
}
