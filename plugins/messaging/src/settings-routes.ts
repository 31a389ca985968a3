// The tenant's sending policy (quiet hours, time zone, send rates) and each channel's mode.
import { defineRoute, itemsOf } from '@soshogle/core';
import type { MessagingSettings } from '@soshogle/db';
import { z } from 'zod';
import { capabilityOf } from './capabilities.ts';
import { sendChannels } from './channels.ts';
import { isTimeZone } from './sending/quiet-hours.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time as HH:MM (24-hour)');
// Up to what high-throughput senders (short codes, messaging services) are allowed.
const rate = z.number().positive().max(10_000);
/** By provider name: messaging's own (twilio, sendgrid, meta) or one another plugin ships. */
const rates = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'A provider name'), rate);

const defaults = { quietHoursEnabled: true, quietHoursStart: '21:00', quietHoursEnd: '08:00', timezone: null, sendRates: null };

const channelResponse = z
  .object({
    channel: z.enum(sendChannels),
    provider: z.string().nullable().describe('The provider that sends it, or would once connected; null when no enabled plugin offers one'),
    mode: z.enum(['live', 'sandbox']),
    providers: z.array(z.string()).describe('Every enabled provider that can serve the channel'),
  })
  .meta({ id: 'MessagingChannel', description: 'A channel and how it sends' });

/** Sends per second by provider name, as stored. */
const sendRates = z.record(z.string(), z.number());

const settingsResponse = z
  .object({
    quietHoursEnabled: z.boolean(),
    quietHoursStart: z.string().describe("HH:MM in the contact's time zone"),
    quietHoursEnd: z.string(),
    timezone: z.string().nullable().describe("For contacts without one; null: the account's"),
    sendRates: sendRates.nullable().describe('Sends per second by provider, e.g. { "twilio": 1 }; null: the defaults'),
  })
  .meta({ id: 'MessagingSettings', description: 'The sending policy: quiet hours, time zone and send rates' });

/** The settings as the API shows them; send rates that are not a provider-to-number map (edited by hand) read as none. */
const shown = (row: MessagingSettings | null): z.output<typeof settingsResponse> =>
  row
    ? { quietHoursEnabled: row.quietHoursEnabled, quietHoursStart: row.quietHoursStart, quietHoursEnd: row.quietHoursEnd, timezone: row.timezone, sendRates: sendRates.nullable().catch(null).parse(row.sendRates) }
    : defaults;

export const settingsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/settings',
    summary: 'Quiet hours, the default time zone and send rates',
    response: settingsResponse,
    async handler({ db }) {
      return shown(await db.messagingSettings.findFirst());
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
    response: settingsResponse,
    async handler({ body, db, tenantId }) {
      return shown(await db.messagingSettings.upsert({ where: { userId: tenantId }, create: { ...body, userId: tenantId, sendRates: body.sendRates ?? undefined }, update: { ...body, sendRates: body.sendRates ?? undefined } }));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/channels',
    summary: 'Each channel, the provider that sends it (or would, once connected), and whether it sends for real or runs in sandbox mode',
    response: itemsOf(channelResponse),
    async handler({ providers }) {
      const items = await Promise.all(
        sendChannels.map(async (channel) => {
          const connected = await providers.get(capabilityOf[channel]);
          const offered = providers.offered(capabilityOf[channel]);
          return {
            channel,
            provider: connected?.provider ?? offered[0]?.provider ?? null,
            mode: connected ? ('live' as const) : ('sandbox' as const),
            /** Every enabled provider that can serve the channel. */
            providers: offered.map((o) => o.provider),
          };
        }),
      );
      return { items };
    },
  }),
];
