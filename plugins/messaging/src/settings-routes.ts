// The tenant's sending policy (quiet hours, time zone, send rates) and each channel's mode.
import { defineRoute } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { capabilityOf } from './capabilities.ts';
import { isTimeZone } from './sending/quiet-hours.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM (24-hour)');
// Up to what high-throughput senders (short codes, messaging services) are allowed.
const rate = z.number().positive().max(10_000);
/** By provider name: messaging's own (twilio, sendgrid, meta) or one another plugin ships. */
const rates = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'A provider name'), rate);

const defaults = { quietHoursEnabled: true, quietHoursStart: '21:00', quietHoursEnd: '08:00', timezone: null, sendRates: null };

export const settingsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/settings',
    summary: 'Quiet hours, the default time zone and send rates',
    async handler({ db }) {
      return (await db.messagingSettings.findFirst()) ?? defaults;
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings',
    summary: 'Change quiet hours, the default time zone or send rates',
    body: z.object({
      quietHoursEnabled: z.boolean().optional(),
      quietHoursStart: time.optional(),
      quietHoursEnd: time.optional(),
      timezone: z.string().refine(isTimeZone, 'Not a time zone (e.g. America/Chicago)').nullable().optional(),
      sendRates: rates.nullable().optional(),
    }),
    async handler({ body, db, tenantId }) {
      return db.messagingSettings.upsert({ where: { userId: tenantId }, create: { ...body, userId: tenantId, sendRates: body.sendRates ?? undefined }, update: { ...body, sendRates: body.sendRates ?? undefined } });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/channels',
    summary: 'Each channel, the provider that sends it (or would, once connected), and whether it sends for real or runs in sandbox mode',
    async handler({ providers }) {
      const items = await Promise.all(
        Object.values(MessageChannel).map(async (channel) => {
          const connected = await providers.get(capabilityOf[channel]);
          const offered = providers.offered(capabilityOf[channel]);
          return {
            channel,
            provider: connected?.provider ?? offered[0]?.provider ?? null,
            mode: connected ? 'live' : 'sandbox',
            /** Every enabled provider that can serve the channel. */
            providers: offered.map((o) => o.provider),
          };
        }),
      );
      return { items };
    },
  }),
];
