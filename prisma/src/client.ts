import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

// Row types of the models plugin code passes around (Contact, Deal, ...).
export type {
  Call,
  Campaign,
  CampaignRecipient,
  ConsentChange,
  Contact,
  Invoice,
  InvoiceLine,
  ContactMerge,
  Conversation,
  CrmJob,
  CrmJobError,
  CsvUpload,
  CustomField,
  Deal,
  DealContact,
  Form,
  FormSubmission,
  FormVersion,
  Lead,
  LeadSearch,
  Message,
  MessageEvent,
  MessagingSettings,
  Note,
  Payment,
  PaymentRefund,
  SmartList,
  Tag,
  VoiceAgent,
} from '../generated/client.ts';
export type { PrismaClient } from '../generated/client.ts';
export { Prisma } from '../generated/client.ts';

/** A Prisma client on the pg driver adapter (no native query engine needed). */
export function createPrismaClient(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}
