// The words of a reminder, per channel. Plain `{placeholder}` fill, no template language:
// the booker's details are data, never code, and a missing value leaves the sentence whole.
import { DateTime } from 'luxon';

export type ReminderChannel = 'EMAIL' | 'SMS' | 'WHATSAPP';

export interface ReminderFacts {
  /** The contact's first name. */
  name: string;
  /** The appointment type's name, else the appointment's title. */
  type: string;
  start: Date;
  /** The contact's zone if they have one, else the calendar's. */
  zone: string;
  location: string | null;
  /** The booker's reschedule/cancel page, when there is one. */
  manageUrl: string | null;
}

const defaults: Record<ReminderChannel, { subject?: string; body: string }> = {
  EMAIL: {
    subject: 'Reminder: {type} {when}',
    body: 'Hi {name},\n\nThis is a reminder of your {type} {when}.{location}{manageUrl}\n\nSee you then.',
  },
  SMS: { body: 'Reminder: {type} {when}.{location}{manageUrl}' },
  WHATSAPP: { body: 'Hi {name}, a reminder of your {type} {when}.{location}{manageUrl}' },
};

/** "on Tuesday, 8 December 2026 at 14:30 (Europe/Paris)": the zone named, since the reader may travel. */
export function whenText(start: Date, zone: string): string {
  const local = DateTime.fromJSDate(start, { zone });
  const at = local.isValid ? local : DateTime.fromJSDate(start, { zone: 'UTC' });
  return `on ${at.toFormat('cccc, d LLLL yyyy')} at ${at.toFormat('HH:mm')} (${at.zoneName})`;
}

/** The subject (email only) and body of a reminder on `channel`. */
export function reminderMessage(channel: ReminderChannel, facts: ReminderFacts): { subject?: string; body: string } {
  const values: Record<string, string> = {
    name: facts.name,
    type: facts.type,
    when: whenText(facts.start, facts.zone),
    location: facts.location ? ` Where: ${facts.location}.` : '',
    manageUrl: facts.manageUrl ? ` To reschedule or cancel: ${facts.manageUrl}` : '',
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  const template = defaults[channel];
  return { ...(template.subject ? { subject: fill(template.subject) } : {}), body: fill(template.body) };
}
