// The booker's confirmation email, with the link to reschedule or cancel. Queued through
// messaging in the booking's transaction: consent applies (an opted-out address gets no email;
// the page still shows the link), and a booking that rolls back sends nothing.
import { whenText } from '../reminders/templates.ts';

export interface ConfirmationFacts {
  name: string;
  type: string;
  start: Date;
  zone: string;
  location: string | null;
  manageUrl: string;
  /** A type with a price: the pay link and the hold's end. */
  payment?: { url: string; dueAt: Date } | null;
}

export function confirmationMessage(facts: ConfirmationFacts): { subject: string; body: string } {
  const when = whenText(facts.start, facts.zone);
  return {
    subject: `Booked: ${facts.type} ${when}`,
    body: [
      `Hi ${facts.name},`,
      '',
      `Your ${facts.type} is booked ${when}.`,
      ...(facts.location ? [`Where: ${facts.location}`] : []),
      ...(facts.payment
        ? ['', `Please pay to keep it: ${facts.payment.url}`, `If it is not paid by ${whenText(facts.payment.dueAt, facts.zone).replace(/^on /, '')}, it is cancelled.`]
        : []),
      '',
      `To reschedule or cancel: ${facts.manageUrl}`,
    ].join('\n'),
  };
}
