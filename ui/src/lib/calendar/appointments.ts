// How the calendar screens show an appointment: its status in words, who it is with, what
// may be done to it next (the API's transitions, design §4), and where it sits in a day.
import { contactName, type PickedContact } from '../components/contacts.ts';
import type { Appointment, AppointmentStatus } from './api.ts';
import { addDays, instantOf } from './time.ts';

export const statusText: Record<AppointmentStatus, string> = {
  SCHEDULED: 'Scheduled',
  CONFIRMED: 'Confirmed',
  COMPLETED: 'Completed',
  NO_SHOW: 'No-show',
  CANCELLED: 'Cancelled',
};

export const statusBadge: Record<AppointmentStatus, string> = {
  SCHEDULED: 'accent',
  CONFIRMED: 'ok',
  COMPLETED: '',
  NO_SHOW: 'warn',
  CANCELLED: 'danger',
};

/** A new appointment's starting point: where the screen was clicked, or a contact's "Book". */
export interface Draft {
  calendarId?: string;
  date: string;
  minute: number;
  contact?: PickedContact | null;
}

export const isActive = (a: Pick<Appointment, 'status'>) => a.status === 'SCHEDULED' || a.status === 'CONFIRMED';

/** The statuses `a` may be set to from its own (CANCELLED is final; completed and no-show correct each other). */
export function nextStatuses(a: Pick<Appointment, 'status'>): ('CONFIRMED' | 'COMPLETED' | 'NO_SHOW')[] {
  switch (a.status) {
    case 'SCHEDULED':
      return ['CONFIRMED', 'COMPLETED', 'NO_SHOW'];
    case 'CONFIRMED':
      return ['COMPLETED', 'NO_SHOW'];
    case 'COMPLETED':
      return ['NO_SHOW'];
    case 'NO_SHOW':
      return ['COMPLETED'];
    default:
      return [];
  }
}

/** Who the appointment is with, when the API says. */
export function withWhom(a: Appointment): string | null {
  return a.contact ? contactName(a.contact) : null;
}

export interface Placed {
  appointment: Appointment;
  /** Minutes from the day's midnight (clipped to the day). */
  top: number;
  bottom: number;
  lane: number;
  lanes: number;
}

/**
 * The appointments of one local date in `zone`, each with its lane: overlapping ones sit side
 * by side, as many lanes as the busiest moment of their cluster needs.
 */
export function placeDay(appointments: Appointment[], date: string, zone: string): Placed[] {
  const dayStart = instantOf(date, 0, zone);
  const dayEnd = instantOf(addDays(date, 1), 0, zone);
  const minutes = (ms: number) => (ms - dayStart) / 60_000;
  const inDay = appointments
    .filter((a) => Date.parse(a.startTime) < dayEnd && Date.parse(a.endTime) > dayStart)
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || Date.parse(b.endTime) - Date.parse(a.endTime));
  const placed: Placed[] = [];
  let cluster: Placed[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    cluster = [];
    laneEnds = [];
  };
  for (const appointment of inDay) {
    const top = Math.max(0, minutes(Date.parse(appointment.startTime)));
    const bottom = Math.min(minutes(dayEnd), minutes(Date.parse(appointment.endTime)));
    if (top >= clusterEnd) close();
    let lane = laneEnds.findIndex((end) => end <= top);
    if (lane < 0) lane = laneEnds.push(bottom) - 1;
    else laneEnds[lane] = bottom;
    clusterEnd = Math.max(top >= clusterEnd ? bottom : clusterEnd, bottom);
    const p = { appointment, top, bottom: Math.max(bottom, top + 15), lane, lanes: 1 };
    cluster.push(p);
    placed.push(p);
  }
  close();
  return placed;
}
