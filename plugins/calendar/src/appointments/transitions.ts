// Which status an appointment may move to (design §4). CANCELLED is final; COMPLETED and
// NO_SHOW may correct each other; only active appointments (SCHEDULED, CONFIRMED) block time,
// move, or get reminders.
import type { AppointmentStatus } from '@soshogle/db';

const allowed: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  SCHEDULED: ['CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW'],
  CONFIRMED: ['CANCELLED', 'COMPLETED', 'NO_SHOW'],
  COMPLETED: ['NO_SHOW'],
  NO_SHOW: ['COMPLETED'],
  CANCELLED: [],
};

export function canMove(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return allowed[from].includes(to);
}

/** Still happening: it blocks its time, can be rescheduled, and its reminders and waits stand. */
export function isActive(status: string): boolean {
  return status === 'SCHEDULED' || status === 'CONFIRMED';
}
