// Finding what a public URL names: the booking page by its slug, a booking by its manage
// token. `tenant` resolvers read with the unscoped lookup (one query, only the tenant id
// leaves it); the handlers then read the same rows again through the tenant's scoped db.
import { notFound, type TenantDb, type TenantTx, type WebhookLookup } from '@soshogle/core';
import { claimedAppointmentId, hashManageToken, linkedSource } from './links.ts';

/** A page is open while booking is enabled and the calendar is not archived. */
export async function pageTenant({ params }: { params: { slug: string } }, lookup: WebhookLookup): Promise<string | null> {
  const calendar = await lookup.calendar.findUnique({ where: { publicSlug: params.slug }, select: { userId: true, bookingEnabled: true, archivedAt: true } });
  return calendar?.bookingEnabled && !calendar.archivedAt ? calendar.userId : null;
}

/** The tenant of the appointment a manage token names; its handler checks the signature (this lookup has no keys). */
export async function bookingTenant({ params }: { params: { token: string } }, lookup: WebhookLookup): Promise<string | null> {
  const id = claimedAppointmentId(params.token);
  const appointment = id
    ? await lookup.appointment.findFirst({ where: { id, source: linkedSource }, select: { userId: true } })
    : await lookup.appointment.findUnique({ where: { manageTokenHash: hashManageToken(params.token) }, select: { userId: true } });
  return appointment?.userId ?? null;
}

export async function openPage(db: TenantDb | TenantTx, slug: string) {
  const calendar = await db.calendar.findFirst({ where: { publicSlug: slug, bookingEnabled: true, archivedAt: null } });
  if (!calendar) throw notFound('Booking page');
  return calendar;
}

/** A type the page offers: public and active. */
export async function publicType(db: TenantDb | TenantTx, calendarId: string, slug: string) {
  const type = await db.appointmentType.findFirst({ where: { calendarId, slug, isPublic: true, active: true } });
  if (!type) throw notFound('Appointment type');
  return type;
}

/** The 404 of a type the open page `slug` does not offer: the page's own when it is the page that is missing (the slots route finds both in its one statement). */
export async function typeNotOnPage(db: TenantDb | TenantTx, slug: string): Promise<never> {
  await openPage(db, slug);
  throw notFound('Appointment type');
}
