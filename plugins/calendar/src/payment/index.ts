// The payment part of the calendar plugin: bookings of a type with a price wait for their
// payment (asked of the payments plugin through its action), are confirmed when it succeeds,
// and freed when the hold ends unpaid.
import type { PluginPieces } from '../pieces.ts';
import { confirmPaidBooking } from './paid.ts';
import { releaseUnpaidBooking } from './release.ts';

export const paymentPieces: PluginPieces = {
  subscribers: [confirmPaidBooking],
  jobs: [releaseUnpaidBooking],
};
