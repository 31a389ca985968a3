// What the campaigns API answers: a campaign (with its metrics where a route counts them),
// a recipient, a rendered message and the activity over time, one schema each, reused by
// every route that answers them.
import { isoDate } from '@soshogle/core';
import { CampaignRecipientStatus, CampaignStatus, CampaignType } from '@soshogle/db';
import { z } from 'zod';

const count = z.number().int();
const rate = z.number().describe('0 to 1');

export const metricsResponse = z
  .object({
    recipients: count,
    queued: count,
    skipped: count.describe('Do-not-disturb or no address: never sent'),
    cancelled: count,
    sent: count,
    delivered: count,
    opened: count,
    clicked: count,
    bounced: count,
    failed: count,
    unsubscribed: count,
    deliveryRate: rate,
    openRate: rate,
    clickRate: rate,
    bounceRate: rate,
    unsubscribeRate: rate,
  })
  .meta({ id: 'CampaignMetrics', description: "A campaign's exact counts from its recipients, with rates against the messages sent" });

export const campaignResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(CampaignType),
    status: z.enum(CampaignStatus),
    targetTags: z.array(z.string()),
    smartListId: z.string().nullable(),
    subject: z.string().nullable(),
    message: z.string().describe('The text body (a Liquid template)'),
    html: z.string().nullable().describe('An email: the HTML body template'),
    scheduledAt: isoDate.nullable(),
    sentAt: isoDate.nullable().describe('When sending started'),
    completedAt: isoDate.nullable(),
    cancelledAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    recipientCount: count,
    skippedCount: count,
    sentCount: count,
    deliveredCount: count,
    openCount: count,
    clickCount: count,
    failedCount: count,
    bounceCount: count,
    unsubscribeCount: count,
    metrics: metricsResponse.optional().describe('Exact counts now (GET /campaigns/{id}); the *Count fields are refreshed a few seconds behind'),
  })
  .meta({ id: 'Campaign', description: 'An email or SMS sent to every contact with some tags or in a smart list' });

export const audienceResponse = z.object({ count: count.describe('Contacts reached now') });

export const renderedResponse = z
  .object({ subject: z.string().nullable(), body: z.string(), html: z.string().nullable() })
  .meta({ id: 'RenderedCampaign', description: 'A campaign as one contact gets it' });

export const testSendResponse = renderedResponse.extend({ to: z.string(), messageId: z.string().nullable() });

export const activityResponse = z.object({
  bucket: z.enum(['minute', 'hour', 'day']),
  points: z.array(
    z.object({ at: isoDate, sent: count, delivered: count, opened: count, clicked: count, bounced: count, failed: count, unsubscribed: count }),
  ),
});

export const recipientResponse = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    contactId: z.string(),
    messageId: z.string().nullable(),
    status: z.enum(CampaignRecipientStatus),
    reason: z.string().nullable().describe('Why it was skipped, failed or bounced'),
    sendAfter: isoDate.nullable().describe('Quiet hours hold it until then'),
    queuedAt: isoDate,
    sentAt: isoDate.nullable(),
    deliveredAt: isoDate.nullable(),
    openedAt: isoDate.nullable(),
    clickedAt: isoDate.nullable(),
    bouncedAt: isoDate.nullable(),
    failedAt: isoDate.nullable(),
    unsubscribedAt: isoDate.nullable(),
    contact: z
      .object({ id: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() })
      .nullable()
      .describe('Null once the contact was deleted'),
  })
  .meta({ id: 'CampaignRecipient', description: 'One contact of a campaign: its status and when each thing happened' });
