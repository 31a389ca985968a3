// One row of every tenant-owned model for a tenant, made directly in the database: what
// the isolation sweep tries to reach from another tenant, and what the contract test
// reads through the routes. Add a row here when you add a model (the isolation test says so).
import { createHash } from 'node:crypto';
import type { PrismaClient } from '@soshogle/db';

/**
 * What public URLs know a seeded tenant by, keyed by the path parameter that carries it
 * (`/book/:slug`, `/manage/:token`, `/tools/:tenant/...`: the tenant id itself): the sweeps call public routes that find their tenant
 * in the URL (a route's `tenant`) with these. Add one when a public route names a tenant
 * by something new.
 */
export function publicKeysOf(userId: string): { slug: string; token: string; payToken: string; formId: string; tenant: string } {
  return { slug: `b-chair-${userId}`, token: `manage-${userId}`, payToken: `pay-link-${userId}`, formId: `form${userId}`, tenant: userId };
}

/** Link tokens are stored as their SHA-256 (hex), never as they are. */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The ids of the rows made, by model name. */
export async function seedTenant(db: PrismaClient, userId: string, subAccountId: string): Promise<Record<string, string>> {
  const contact = await db.contact.create({ data: { userId, firstName: 'Bea', email: 'bea@example.test', phone: '+15550000001', tags: ['vip'] } });
  const lead = await db.lead.create({ data: { userId, businessName: 'B Dental', address: '1 Main', city: 'Austin', state: 'TX', zipCode: '78701', category: 'dentist', source: 'manual' } });
  const deal = await db.deal.create({ data: { userId, title: 'B deal', value: '1200.50' } });
  await db.dealContact.create({ data: { userId, dealId: deal.id, contactId: contact.id, isPrimary: true } });
  const conversation = await db.conversation.create({ data: { userId, contactId: contact.id, channel: 'SMS' } });
  const voiceAgent = await db.voiceAgent.create({ data: { userId, name: 'B agent' } });
  const steps = [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'b' } }];
  const workflow = await db.workflow.create({
    data: { userId, name: 'B flow', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, publishedVersion: 1 },
  });
  const version = await db.workflowVersion.create({
    data: { userId, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: false },
  });
  const execution = await db.workflowExecution.create({
    data: { userId, workflowId: workflow.id, versionId: version.id, status: 'NEEDS_REVIEW', contextData: { event: {} }, contactId: contact.id, eventId: 'e1', dedupeKey: 'e1' },
  });
  const calendar = await db.calendar.create({ data: { userId, name: 'B chair', timeZone: 'America/Chicago', publicSlug: publicKeysOf(userId).slug } });
  const connection = await db.calendarConnection.create({ data: { userId, provider: 'google' } });
  const start = new Date(Date.now() + 86_400_000);
  const end = new Date(start.getTime() + 1_800_000);
  const appointment = await db.appointment.create({
    data: { userId, contactId: contact.id, calendarId: calendar.id, title: 'B meeting', startTime: start, endTime: end, blockStart: start, blockEnd: end, manageTokenHash: tokenHash(publicKeysOf(userId).token) },
  });
  const seeded: Record<string, string> = {
    User: userId,
    SubAccount: subAccountId,
    Contact: contact.id,
    Lead: lead.id,
    Deal: deal.id,
    Conversation: conversation.id,
    VoiceAgent: voiceAgent.id,
    Workflow: workflow.id,
    Note: (await db.note.create({ data: { userId, content: 'B note', contactId: contact.id } })).id,
    Tag: (await db.tag.create({ data: { userId, name: 'vip', color: '#ff0000' } })).id,
    Message: (await db.message.create({ data: { userId, contactId: contact.id, conversationId: conversation.id, content: 'hi', direction: 'OUTBOUND', from: '+1', to: '+2' } })).id,
    // A sandbox call with its (simulated) recording, so the recording route has one to answer.
    Call: (await db.call.create({ data: { userId, voiceAgentId: voiceAgent.id, direction: 'INBOUND', from: '+1', to: '+2', sandbox: true, recordingUrl: 'sandbox' } })).id,
    Campaign: (await db.campaign.create({ data: { userId, name: 'B campaign', type: 'SMS', message: 'hello' } })).id,
    WorkflowVersion: version.id,
    WorkflowExecution: execution.id,
    WorkflowStepRun: (await db.workflowStepRun.create({ data: { userId, executionId: execution.id, stepId: 'tag', type: 'action', status: 'NEEDS_REVIEW' } })).id,
    WorkflowWait: (await db.workflowWait.create({ data: { userId, executionId: execution.id, stepId: 'tag', kind: 'GOAL', eventType: 'core.tag_added', contactId: contact.id } })).id,
    Notification: (await db.notification.create({ data: { userId, title: 'B notice' } })).id,
    WebhookSecret: (await db.webhookSecret.create({ data: { userId, secret: 'not-a-real-envelope' } })).id,
    Appointment: appointment.id,
    CalendarConnection: connection.id,
    ApiKey: (await db.apiKey.create({ data: { userId, name: 'B key', prefix: 'sk_b', keyHash: userId.padEnd(64, 'b'), scope: 'WRITE' } })).id,
    AuditLog: (await db.auditLog.create({ data: { userId, action: 'test.seeded' } })).id,
    Account: (await db.account.create({ data: { userId, type: 'oauth', provider: 'google', providerAccountId: `${userId}-google` } })).id,
    Session: (await db.session.create({ data: { userId, sessionToken: userId.padEnd(64, 'c'), expires: new Date(Date.now() + 86_400_000) } })).id,
  };
  const crmJob = await db.crmJob.create({ data: { userId, kind: 'CONTACT_IMPORT', params: {} } });
  Object.assign(seeded, {
    CustomField: (await db.customField.create({ data: { userId, key: 'plan', label: 'Plan', type: 'TEXT' } })).id,
    SmartList: (await db.smartList.create({ data: { userId, name: 'B list', filter: { tagsAny: ['vip'] } } })).id,
    ContactMerge: (await db.contactMerge.create({ data: { userId, keptContactId: contact.id, mergedContactId: 'gone', mergedContact: {} } })).id,
    CrmJob: crmJob.id,
    CrmJobError: (await db.crmJobError.create({ data: { userId, jobId: crmJob.id, item: 1, field: 'email', message: 'bad' } })).id,
    ProviderConnection: (await db.providerConnection.create({ data: { userId, plugin: 'leads', provider: 'google_places', credentials: 'not-a-real-envelope' } })).id,
    LeadSearch: (await db.leadSearch.create({ data: { userId, params: { query: 'dentist in Austin, TX', maxResults: 60, sandbox: true } } })).id,
    CsvUpload: (await db.csvUpload.create({ data: { userId, fileName: 'b.csv', content: Buffer.from('firstName\nBea\n'), headers: ['firstName'], rowCount: 1 } })).id,
    MessageEvent: (await db.messageEvent.create({ data: { userId, messageId: seeded.Message!, type: 'delivered', occurredAt: new Date() } })).id,
    ConsentChange: (await db.consentChange.create({ data: { userId, contactId: contact.id, channel: 'SMS', doNotDisturb: true, source: 'keyword', reason: 'Replied STOP' } })).id,
    MessagingSettings: (await db.messagingSettings.create({ data: { userId, quietHoursStart: '22:00' } })).id,
    SendThrottle: (await db.sendThrottle.create({ data: { userId, provider: 'twilio', nextSendAt: new Date() } })).id,
    ExamplePing: (await db.examplePing.create({ data: { userId, contactId: contact.id, message: 'B ping', source: 'api' } })).id,
    CampaignRecipient: (await db.campaignRecipient.create({ data: { userId, campaignId: seeded.Campaign!, contactId: contact.id, messageId: seeded.Message!, status: 'SENT' } })).id,
  });
  const externalCalendar = await db.externalCalendar.create({ data: { userId, connectionId: connection.id, remoteId: 'primary', name: 'B work', blocksCalendarId: calendar.id } });
  Object.assign(seeded, {
    Calendar: calendar.id,
    AppointmentType: (await db.appointmentType.create({ data: { userId, calendarId: calendar.id, name: 'Cleaning', slug: 'cleaning', durationMin: 30 } })).id,
    AvailabilityRule: (await db.availabilityRule.create({ data: { userId, calendarId: calendar.id, weekday: 1, startMinute: 540, endMinute: 1020 } })).id,
    AvailabilityOverride: (await db.availabilityOverride.create({ data: { userId, calendarId: calendar.id, date: new Date('2026-12-24'), note: 'closed' } })).id,
    AppointmentReminder: (await db.appointmentReminder.create({
      data: { userId, appointmentId: appointment.id, channel: 'EMAIL', offsetMin: 1440, forStart: start, dueAt: new Date(start.getTime() - 86_400_000) },
    })).id,
    ExternalCalendar: externalCalendar.id,
    ExternalBusyBlock: (await db.externalBusyBlock.create({ data: { userId, externalCalendarId: externalCalendar.id, remoteEventId: 'evt-1', start, end, allDay: false } })).id,
  });
  // A paid sandbox invoice payment, so refund and void routes reach their rules.
  const invoice = await db.invoice.create({ data: { userId, contactId: contact.id, number: 1, currency: 'USD', total: '10.00' } });
  const payment = await db.payment.create({
    data: { userId, contactId: contact.id, invoiceId: invoice.id, amount: '10.00', provider: 'STRIPE', sandbox: true, status: 'SUCCEEDED', paidAt: new Date(), payToken: publicKeysOf(userId).payToken },
  });
  Object.assign(seeded, {
    Invoice: invoice.id,
    InvoiceLine: (await db.invoiceLine.create({ data: { userId, invoiceId: invoice.id, position: 1, description: 'Cleaning', quantity: 1, unitAmount: '10.00' } })).id,
    Payment: payment.id,
    PaymentRefund: (await db.paymentRefund.create({ data: { userId, paymentId: payment.id, amount: '1.00', status: 'FAILED', failureReason: 'seeded' } })).id,
  });
  // A published form with a processed submission; its id is what the public form's URL names
  // (letters and digits, like a generated id, so no route tells it from one by its shape).
  const definition = {
    title: 'B contact', fields: [{ key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } }],
    submitLabel: 'Send', tags: [], after: { kind: 'message', message: 'Thanks' },
  };
  const form = await db.form.create({ data: { id: publicKeysOf(userId).formId, userId, name: 'B contact', status: 'PUBLISHED', draft: definition } });
  const formVersion = await db.formVersion.create({ data: { userId, formId: form.id, version: 1, definition } });
  await db.form.update({ where: { id: form.id }, data: { publishedVersionId: formVersion.id } });
  Object.assign(seeded, {
    Form: form.id,
    FormVersion: formVersion.id,
    FormSubmission: (await db.formSubmission.create({
      data: { userId, formId: form.id, formVersionId: formVersion.id, status: 'PROCESSED', contactId: contact.id, answers: { email: 'bea@example.test' } },
    })).id,
  });
  return seeded;
}
