// The one contract between the core and a plugin. A plugin is a declaration: its name,
// the plugins it needs, the models it owns, its config, routes, webhooks, triggers,
// actions and event subscribers. The core loads it, checks it, mounts it and runs it.
//
// Glossary
// - plugin: a package whose default export is `definePlugin({...})`.
// - trigger: an event a plugin raises that can start a workflow (e.g. crm.contact_created).
// - action: a step a workflow can run (e.g. messaging.send_sms); runs as a durable job.
// - subscriber: a plugin's handler for another plugin's event (delivered at least once).
// - webhook: an HTTP endpoint for a provider; its signature is verified before parsing.
import type { Prisma, PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { RateLimitHit, RateLimitResult } from './auth/rate-limit.ts';
import type { Logger } from './logger.ts';
import type { TenantDb, TenantTx } from './tenancy.ts';

export type { RateLimitHit, RateLimitResult } from './auth/rate-limit.ts';

/** Object-shaped zod schemas, so every prop and payload field has a name. */
export type ObjectSchema = z.ZodObject;

/** Anything that can run SQL in the caller's transaction: a client or a transaction client. */
export type Db = { $executeRaw: PrismaClient['$executeRaw'] };

export interface RaiseOptions {
  /** The tenant (User id) the event belongs to. */
  tenantId: string;
  /**
   * How many workflow runs led to this event (the loop guard). Set by the engine for
   * events raised inside a workflow step; plugins leave it out.
   */
  depth?: number;
}

export interface Events {
  /**
   * Raises `type` (a trigger key such as `example.pinged`) inside `tx`: the event and
   * its deliveries commit or roll back with the change that raised it. The payload is
   * typed from the trigger's schema (see `Plugins`) and parsed by it again at run time.
   * Returns the event id.
   */
  raise<T extends EventType>(tx: Db, type: T, payload: EventPayloadInput<T>, options: RaiseOptions): Promise<string>;
  /**
   * Raises one event per payload, in a few statements however many there are (a batch of
   * messages sent). Transactional subscribers with `runMany` get them in one call.
   * Returns the event ids, in order.
   */
  raiseMany<T extends EventType>(tx: Db, type: T, payloads: EventPayloadInput<T>[], options: RaiseOptions): Promise<string[]>;
}

export interface EnqueueOptions {
  /** The tenant the work is for; the job runs with that tenant's data access only. */
  tenantId: string;
  /** Not before this time (default: now). */
  runAt?: Date;
  /**
   * One waiting job per key: enqueueing while a job of this key waits to run (due by
   * `runAt`) adds nothing, and writes nothing, so a burst of writers (form submissions)
   * neither queues behind one row nor makes a job each; one run picks up everything written
   * meanwhile (what a writer wrote before finding the job waiting is committed before the
   * job starts its work). While the job runs, enqueueing queues the next one. With a
   * `runAt` a little ahead, the key gathers a burst into one run.
   */
  jobKey?: string;
}

export interface Jobs {
  /**
   * Queues the job `key` (`<plugin>.<name>`) inside `tx`: it runs only if the transaction
   * commits, at least once, on whichever worker takes it.
   */
  enqueue(tx: Db, key: string, payload: unknown, options: EnqueueOptions): Promise<void>;
  /**
   * The same enqueue as an SQL expression, for a plugin's own statement that queues its job
   * as it writes (`with s as (insert ... returning id) select <this> from s`): one round trip
   * and no transaction held open between statements, for the hottest public endpoints.
   */
  enqueueSql(key: string, payload: unknown, options: EnqueueOptions): Prisma.Sql;
}

export interface Workflows {
  /**
   * Starts the published workflow `workflowId` for each of `contactIds` (the tenant's;
   * others are skipped), inside `tx`, as `core.manual` events would. Answers 404 for an
   * unknown workflow and 409 for one never published. Returns how many were queued.
   */
  start(tx: Db, workflowId: string, contactIds: string[], options: { tenantId: string }): Promise<{ queued: number }>;
  /**
   * Tells the engine, inside `tx` (the transaction that changed the record), that record
   * `id` of the run-context provider `subject` (`appointment`) may have moved: one of its
   * `times`, or whether it is `live`. Each run waiting relative to it ("2 hours before
   * appointment.startTime") gets its new due time, or is due at once when the record is
   * no longer live; the moved waits commit with the change. Call it on every change of a
   * time or of liveness (reschedule, cancel, status). Returns how many waits it moved.
   */
  subjectMoved(tx: Db, subject: string, id: string, options: { tenantId: string }): Promise<{ moved: number }>;
}

export interface RunActionOptions {
  tenantId: string;
  /** Stable across retries of the caller: the action does its work once per key. */
  idempotencyKey: string;
  /** The contact the action is about, as a workflow run's contact. */
  contactId?: string | null;
  /** The loop guard's depth, carried by the core from the caller; plugins leave it out. */
  depth?: number;
}

export interface Actions {
  /**
   * Runs another plugin's `transactional` action inside `tx` (the caller's transaction,
   * scoped to `tenantId`): props are checked against its schema (a 422 naming the field)
   * and its writes commit or roll back with the caller's. This is how plugins ask each
   * other to do things (a campaign asks messaging to queue its messages) without
   * importing each other. Props and output are typed from the action's schemas (see
   * `Plugins`); a key no plugin offers fails the typecheck.
   */
  run<K extends ActionKey>(tx: TenantTx, key: K, props: ActionProps<K>, options: RunActionOptions): Promise<ActionOutput<K>>;
  /**
   * Whether an enabled plugin offers the action: for a feature that uses a plugin it does
   * not depend on (the calendar's paid bookings, when payments may be off).
   */
  offers(key: ActionKey): boolean;
}

/** What every piece of plugin code receives. */
export interface PluginContext<Config = Record<string, unknown>> {
  /** The plugin's name. */
  plugin: string;
  config: Config;
  log: Logger;
  events: Events;
  jobs: Jobs;
  workflows: Workflows;
  /** Other plugins' actions, run in the caller's transaction. */
  actions: Actions;
  /**
   * The absolute URL of `path` on this server as providers reach it: PUBLIC_URL, else the
   * address the server listens on. For callback and unsubscribe links.
   */
  publicUrl(path: string): string;
  /**
   * Counts one hit on `key` (the plugin's own: the core prefixes `plugin:<name>:`, so
   * plugins never share a count) in a fixed window of `windowSeconds` shared by every
   * process; allowed while the window's count is within `limit`. For what anyone can call (a public booking page,
   * per IP and per calendar). limitHits counts and refuses (429, Retry-After) in one call.
   * Runs outside any transaction: a refused request still counts.
   */
  rateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  /** rateLimit for several keys (each the plugin's own, all different) in one statement; the answers in the order given. */
  rateLimits(hits: RateLimitHit[]): Promise<RateLimitResult[]>;
  /** Encrypts what a plugin must store but never show (OAuth tokens, app passwords) with the installation's keys. */
  secrets: Secrets;
}

/**
 * The installation's key ring (SECRETS_KEYS), for a plugin's own secret columns. `context`
 * names where the value is stored, `<Model>.<column>:<row id>`, and is authenticated with
 * it: an envelope copied to another row or column does not open. List the column in the
 * plugin's `encryptedColumns`, and key rotation re-encrypts it with that same context.
 */
export interface Secrets {
  /** An envelope of `plaintext` under the current key (a new random IV each time). */
  seal(plaintext: string, context: string): string;
  /** The plaintext of an envelope sealed with the same `context`; throws when the key, the context or the bytes are wrong. */
  open(envelope: string, context: string): string;
  /**
   * A signature (43 characters of base64url) of `data` for `purpose`, for tokens the
   * plugin hands out and takes back without storing them (a form token, a link). Every
   * process of the installation makes the same one, it is bound to the plugin and the
   * purpose, and it changes when the current key does.
   */
  sign(purpose: string, data: string): string;
  /** Whether `signature` is `sign(purpose, data)` under any key of SECRETS_KEYS: what was signed before a rotation verifies while the old key is kept. */
  verify(purpose: string, data: string, signature: string): boolean;
}

/** A tenant's credentials for the plugin's providers, decrypted on read. */
export interface Credentials {
  /**
   * The saved credentials for `provider` (parsed by its schema), or null: run it in sandbox
   * mode. Inside a transaction, pass it as `tx`: the read then uses the transaction's
   * connection instead of waiting for a second one (many concurrent transactions each
   * waiting for another connection would exhaust the pool).
   */
  get<T = Record<string, unknown>>(provider: string, options?: { tx?: TenantTx }): Promise<T | null>;
}

/** Plugin code working for one tenant: its data access only reaches that tenant's rows. */
export interface TenantContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  tenantId: string;
  db: TenantDb;
  credentials: Credentials;
  /** The tenant's connected provider for a capability (see defineCapability). */
  providers: Providers;
}

/**
 * A provider a tenant connects with their own credentials (a Twilio account, a Google
 * API key). They are stored encrypted and entered in Settings; until then the plugin
 * runs the provider in sandbox mode.
 */
export interface ConnectionDefinition {
  /** snake_case, unique within the plugin, e.g. `twilio`, `google_places`. */
  provider: string;
  displayName: string;
  description: string;
  /** What the tenant enters. Fields are secret (shown back as their last 4 characters) unless listed in `visible`. */
  credentials: ObjectSchema;
  visible?: string[];
}

/** The workflow run a step belongs to. */
export interface StepRun {
  executionId: string;
  workflowId: string;
  stepId: string;
  /** The contact the run is about (null for runs started by an event about no contact). */
  contactId: string | null;
  /** The deal of the triggering event, if any. */
  dealId: string | null;
}

export interface ActionContext<Props, Config = Record<string, unknown>> extends Omit<TenantContext<Config>, 'db'> {
  props: Props;
  /**
   * The tenant's data. For a `transactional` action this is the transaction that also
   * records the step: its writes and the step's success commit together.
   */
  db: TenantTx;
  /** Stable across retries of the same step: pass it to providers as their idempotency key. */
  idempotencyKey: string;
  /** Aborted when the worker shuts down or the step times out. */
  signal: AbortSignal;
  /** The run this step belongs to. */
  run: StepRun;
  /**
   * The run's `contact` or `deal` as the plugin that provides it loads it (run contexts,
   * e.g. the CRM), JSON-plain; null when the run has none or no enabled plugin provides it.
   */
  record(name: 'contact' | 'deal'): Promise<Record<string, unknown> | null>;
}

/**
 * Thrown by an action when retrying cannot help (a refused address, a contact that no
 * longer exists): the step fails at once instead of after every retry.
 */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

export interface ActionDefinition<
  P extends ObjectSchema = ObjectSchema,
  O extends ObjectSchema = ObjectSchema,
  Config = Record<string, unknown>,
  N extends string = string,
> {
  /** Stable snake_case name within the plugin; the full key is `<plugin>.<name>`. */
  name: N;
  /**
   * Full keys this action used to have (`core.add_tag` for `crm.add_tag`): saved steps,
   * imported workflows and queued runs that still name one run this action. Not listed
   * in the catalog; claimed like keys, so two actions cannot share one.
   */
  aliases?: string[];
  /** Bumped when props change incompatibly; saved workflows keep the version they were built with. */
  version: number;
  displayName: string;
  description: string;
  /** The step's settings, shown as a form in the workflow builder. */
  props: P;
  /** What the step returns; later steps can use it in templates and conditions. */
  output: O;
  /** True when running twice with the same idempotency key has the effect of running once. */
  idempotent: boolean;
  /**
   * True when the action only changes data through `ctx.db`: it then runs inside the
   * transaction that records the step, so after a crash it has either fully happened
   * (and is skipped) or not at all (and runs again). Never set it for actions that call
   * a provider.
   */
  transactional?: boolean;
  /**
   * Offered to other plugins only (through `ctx.actions`), not as a workflow step: left out
   * of the catalog, and a workflow naming it is refused. For batch work such as queueing a
   * campaign's messages.
   */
  internal?: boolean;
  /** Attempts before the step fails (default 5), with exponential backoff between them (graphile-worker's exp(min(10, attempt)) s). */
  maxAttempts?: number;
  /** What the step would do with these (rendered) props, in a sentence: shown by dry runs and the run log. */
  describe?(props: z.output<P>): string;
  run(ctx: ActionContext<z.output<P>, Config>): Promise<z.input<O>>;
}

export interface TriggerDefinition<P extends ObjectSchema = ObjectSchema, F extends ObjectSchema = ObjectSchema, N extends string = string> {
  /** Stable snake_case name within the plugin; the event type is `<plugin>.<name>`. */
  name: N;
  displayName: string;
  description: string;
  /** The event's data. */
  payload: P;
  /** The settings a workflow gives the trigger (which tag, which stage, ...). */
  filter: F;
  /** Whether an event with `payload` passes a workflow's `filter`. */
  matches(filter: z.output<F>, payload: z.output<P>): boolean;
}

/** A subscriber to `T` (an `EventType` when declared with defineSubscriber). */
export interface SubscriberDefinition<T extends string = string> {
  /** Stable snake_case name within the plugin. */
  name: string;
  /** The event type it handles, e.g. `crm.contact_created`. */
  event: T;
  /**
   * True: runs inside the transaction that raises the event, before `raise` returns, and
   * `ctx.db` is that transaction; a throw rolls the change back. For keeping data
   * consistent across plugins (a renamed tag in workflow filters); keep it to a few
   * statements. False (default): a durable job after the commit.
   */
  transactional?: boolean;
  /**
   * True: left out, instead of refused at start, when no enabled plugin raises the event.
   * For a feature built on a plugin the subscriber's plugin does not depend on.
   */
  optional?: boolean;
  /** Called at least once per event: use `event.id` to make repeats harmless. */
  run(ctx: TenantContext, event: DeliveredEvent<T>): Promise<void>;
  /**
   * Transactional subscribers only: handles the events of one `raiseMany` in one call (a
   * set-based statement instead of one per event). Without it, `run` is called per event.
   */
  runMany?(ctx: TenantContext, events: DeliveredEvent<T>[]): Promise<void>;
}

/**
 * An event as subscribers get it: for a declared `EventType`, its payload is typed (after
 * parsing). For several types, one member per type, so checking `type` narrows `payload`.
 */
export type DeliveredEvent<T extends string = string> = T extends string
  ? {
      id: string;
      type: T;
      tenantId: string;
      payload: T extends EventType ? EventPayload<T> : unknown;
      occurredAt: string;
      /** How many workflow runs led to it (0 for a person's or provider's action). */
      depth: number;
    }
  : never;

export interface JobContext<Config = Record<string, unknown>> extends TenantContext<Config> {
  /** 1 on the first run; retries count up to `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
}

/**
 * Background work of a plugin (an import, a bulk action, a search): a durable
 * graphile-worker job, retried with exponential backoff when `run` throws. It may run
 * more than once, so it records its progress and skips what is done.
 */
export interface JobDefinition<P extends ObjectSchema = ObjectSchema, Config = Record<string, unknown>> {
  /** Stable snake_case name within the plugin; the key is `<plugin>.<name>`. */
  name: string;
  payload: P;
  /** Attempts before it is given up (default 10). */
  maxAttempts?: number;
  run(ctx: JobContext<Config>, payload: z.output<P>): Promise<void>;
}

/** One entry on a contact's timeline. */
export interface TimelineEntry {
  /** Unique within its source. */
  id: string;
  /** What it is, e.g. `note`, `deal`, `message`, `call`, `workflow_run`. */
  kind: string;
  at: Date;
  title: string;
  body?: string | null;
  /** Where the UI opens it, e.g. `/deals/<id>`. */
  link?: string | null;
  data?: Record<string, unknown>;
}

/**
 * What a plugin adds to a contact's timeline. `entries` returns the contact's entries
 * older than `before` (by `at`, then `id`), newest first, at most `limit`.
 */
export interface TimelineSource {
  name: string;
  entries(ctx: TenantContext, contactId: string, page: { before: { at: Date; id: string } | null; limit: number }): Promise<TimelineEntry[]>;
}

// --- A contact's data: export and erasure ---------------------------------------------------

/** A record at a provider that erasing the contact concerns: deleted there by a queued job, or left with the reason. */
export interface ProviderRecordErasure {
  /** e.g. `stripe`, `google`, `elevenlabs`. */
  provider: string;
  /** What it is, e.g. `customer`, `calendar event`, `conversation`. */
  record: string;
  /** How many. */
  count: number;
  outcome: 'delete_queued' | 'not_possible';
  /** Why it could not be deleted (the provider keeps it, or offers no delete). */
  reason?: string;
}

/** What a part did to the contact's data: no personal data in it (counts and words only). */
export interface ContactErasure {
  /** Rows removed or scrubbed, by what they are: `{ messages: 3, conversations: 1 }`. */
  erased: Record<string, number>;
  /** What stays and why, e.g. "payments: amounts, dates and provider ids kept for accounting". */
  kept?: string[];
  /** Provider-side records. */
  providers?: ProviderRecordErasure[];
}

/**
 * A plugin's part of a contact's data (the export and the erasure a person may ask for), as
 * `timeline` is its part of the contact's timeline. `export` answers the contact's rows as
 * JSON-plain sections (`{ messages: [...], consent: [...] }`). `erase` runs inside the
 * erasure's one transaction (`tx`, scoped to the tenant, writing as this plugin; `ctx.db`
 * is the same transaction): it removes the contact's personal data from the plugin's
 * tables, or scrubs it where a record must stay (a payment), and queues, through
 * `ctx.jobs.enqueue(tx, ...)`, the deletes of records the plugin made at a provider. The
 * plugin that provides the `contact` run context erases last, so every other part still
 * finds the contact; it removes the contact itself. Both must accept a contact with no
 * rows, and `erase` may run again after a crash.
 */
export interface ContactDataPart {
  /** snake_case, unique within the plugin; the export's section is `<plugin>.<name>`. */
  name: string;
  /** `contact` is the contact as workflow runs read it (the `contact` run context), for parts that find rows by address. */
  export(ctx: TenantContext, contactId: string, contact: Record<string, unknown>): Promise<Record<string, unknown>>;
  erase(ctx: TenantContext, contactId: string, tx: TenantTx, contact: Record<string, unknown>): Promise<ContactErasure>;
}

/**
 * What a plugin declares as `contactData`: its parts, or `{ none: reason }` when its models
 * hold no data about a person. A plugin that owns models must declare it (refused at boot
 * otherwise), so a new plugin cannot leave its rows out of exports and erasures.
 */
export type ContactData = ContactDataPart[] | { none: string };

// Declared here, beside the parts, by merging into PluginDefinition (same type parameters).
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a merged declaration must repeat them
export interface PluginDefinition<C extends ObjectSchema = ObjectSchema, N extends string = string> {
  /** Its part of a contact's data export and erasure; required when it owns `models`. */
  contactData?: ContactData;
}

export function defineContactData(definition: ContactDataPart): ContactDataPart {
  return definition;
}

/** Which records a manual start reaches: these ids, any of these tags (case-insensitive), or every one. */
export type RecordSelection = { ids: string[] } | { tags: string[] } | { all: true };

/**
 * A record workflow runs are about, provided by the plugin that owns it (the CRM provides
 * `contact` and `deal`), so the core names no plugin table. Conditions and templates read
 * it as `<name>` (`contact.firstName`); the engine loads it only when a rule or a step's
 * settings mention the name. The record is the one the run names as `<name>Id`: the
 * run's contact, its deal, else the triggering event's payload field (`appointmentId`).
 * Without a provider the name reads as null.
 */
export interface RunContextProvider {
  /** snake_case, unique across plugins; what conditions and templates call it, e.g. `contact`. */
  name: string;
  /** The tenant's record with this id (`db` is scoped to the tenant), or null. JSON-serialised before use. */
  load(db: TenantTx, id: string): Promise<object | null>;
  /**
   * The ids of the tenant's records that `selection` names, unknown ids left out: manual
   * starts and the 404s for unknown ids use it. The `contact` provider should have it.
   */
  find?(db: TenantTx, selection: RecordSelection, tenantId: string): Promise<string[]>;
  /** The record's own IANA time zone (a contact's), for time-of-day waits; null for the account's. */
  timeZone?(record: Record<string, unknown>): string | null;
  /**
   * The record's fields a condition may name (`contact.email`), checked when a workflow is
   * saved; `objects` are those whose keys are free (`contact.customFields.plan`). Without
   * it any field is accepted.
   */
  fields?: { names: readonly string[]; objects?: readonly string[] };
  /**
   * The record's instants a relative wait may count from (`appointment.startTime`):
   * fields whose values are Dates or ISO strings, checked when a workflow is saved. Its
   * owner calls `ctx.workflows.subjectMoved` in every transaction that changes one.
   */
  times?: readonly string[];
  /**
   * Whether the record still happens (an appointment not cancelled); given the loaded
   * record as plain JSON. A relative wait on a record that is not live (or gone) ends at
   * its `timeoutNext` (or ends the run). Without it every record that loads is live.
   */
  live?(record: Record<string, unknown>): boolean;
}

/** Read-only and unscoped: only the groupBy of each model, for counts over many tenants at once. */
export type CountLookup = {
  [M in keyof PrismaClient as M extends `$${string}` ? never : M]: PrismaClient[M] extends { groupBy: infer G } ? { groupBy: G } : never;
};

/**
 * A number of a plugin's records per tenant, shown in the agency's roll-up of its
 * sub-accounts (`contacts`, `messages`). One call answers for every sub-account at once
 * (one grouped query, filtered by `tenantIds`), keyed by tenant id; tenants with none may
 * be left out.
 */
export interface TenantCount {
  /** camelCase or snake_case, unique across plugins; the key in the roll-up, e.g. `contacts`. */
  name: string;
  count(db: CountLookup, tenantIds: string[]): Promise<Record<string, number>>;
}

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The URL the provider signed: PUBLIC_URL + path + query. */
  url: string;
}

/**
 * What `verify` and `handshake` get. For a webhook whose path names the tenant
 * (`/:tenant/...`), the tenant and its credentials: providers that sign with each
 * account's own secret (Twilio's auth token, a SendGrid key, a Meta app secret) are
 * verified with that tenant's, before anything reads the body.
 */
export interface WebhookVerifyContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  tenantId: string | null;
  credentials: Credentials | null;
}

export interface WebhookDefinition<Config = Record<string, unknown>> {
  /** One line for the API reference: who calls it and with what, e.g. "Twilio's SMS status callbacks". */
  summary?: string;
  /**
   * Path under `/webhooks/<plugin>`, e.g. `/twilio/status`. A path that starts with
   * `/:tenant` is each tenant's own URL (`/webhooks/messaging/<tenant id>/twilio/status`):
   * the core finds the tenant from it (404 for no such tenant) and `tenant` is not asked.
   */
  path: string;
  /**
   * Checks the provider's signature over the raw bytes. Runs before anything parses
   * the body; `false` or a throw answers 401 and nothing else happens.
   */
  verify(request: WebhookRequest, ctx: WebhookVerifyContext<Config>): boolean | Promise<boolean>;
  /**
   * The provider's id for this delivery (event id, or message id + status). A delivery
   * whose id was seen before (for the same tenant, within 30 days) is acknowledged and
   * ignored: providers retry and duplicate. It is read before the answer, so it is where
   * a body `handle` could not read is refused (throw: 400): after the answer a delivery
   * can only be retried, and an unreadable one reads no better on a retry.
   */
  deliveryId(request: WebhookRequest): string | Promise<string>;
  /**
   * The tenant the delivery belongs to, found by the provider's identifiers (the number
   * called, the account id). `lookup` is the one unscoped, read-only view plugin code
   * gets, for exactly this (and for public routes' `tenant`). Null: acknowledge and ignore
   * (e.g. a number we no longer own).
   * Required unless the path names the tenant.
   */
  tenant?(request: WebhookRequest, lookup: WebhookLookup): Promise<string | null>;
  /**
   * Applies a verified, first-seen delivery, after the provider was answered: the POST
   * only appends the delivery to the core's inbox, and a job applies the inbox in batches
   * (see docs/plugins.md, "Webhooks"). `ctx.tx` is the batch's transaction, scoped to the
   * tenant, at a savepoint of this delivery's own: a throw undoes only this delivery, which
   * is tried again with backoff and marked failed after its attempts. Deliveries may be
   * applied in another order than the provider sent them (as providers may send them):
   * apply each so that order does not matter.
   */
  handle(request: WebhookRequest, ctx: WebhookHandleContext<Config>): Promise<void>;
  /**
   * Optional, preferred when present: applies a batch of verified, first-seen deliveries
   * (in the order they arrived, each at most once) with set-based statements, in one
   * savepoint. A throw undoes the whole call, and the batch is then applied one delivery at
   * a time with `handle`, so `handleMany` must mean exactly what `handle` on each would.
   */
  handleMany?(requests: WebhookRequest[], ctx: WebhookHandleContext<Config>): Promise<void>;
  /**
   * A GET on the same path: the provider's subscription handshake (Meta sends
   * `hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`), or a page a person
   * opens from a link. Returns the text to answer with (plain text), a body with its
   * content type, or null to refuse (403). Without it, GET is not served.
   */
  handshake?(query: URLSearchParams, ctx: WebhookVerifyContext<Config>): WebhookAnswer | null | Promise<WebhookAnswer | null>;
  /**
   * A provider's check that the URL is ours, asked before any signature exists (Microsoft
   * Graph POSTs `?validationToken=...` with no body and wants the token echoed as
   * text/plain within 10 s). Runs first, for a POST (and a GET), before `verify`: an answer
   * is sent with 200 and nothing else happens (no signature check, no delivery recorded);
   * null goes on as usual. Echo only what the provider's protocol asks for, as plain text.
   */
  challenge?(request: WebhookChallengeRequest, ctx: WebhookVerifyContext<Config>): WebhookAnswer | null | Promise<WebhookAnswer | null>;
  /** The largest body accepted, in bytes (default 1 MB); larger ones get 413. */
  maxBytes?: number;
  /**
   * What a verified delivery (and a duplicate, and one for no tenant) is answered with:
   * `status` (a 2xx; default 200: Graph wants 202) and the body with its type (default JSON
   * `{ received: true }`; Twilio wants TwiML).
   */
  reply?: { status?: number } & ({ type: string; body: string } | { type?: undefined; body?: undefined });
}

/** What `handle` and `handleMany` get: the tenant, its transaction and credentials (read once per batch). */
export type WebhookHandleContext<Config = Record<string, unknown>> = PluginContext<Config> & { tenantId: string; tx: TenantTx; credentials: Credentials };

/** What `challenge` sees: the request as `verify` would, with its method and query. */
export interface WebhookChallengeRequest extends WebhookRequest {
  method: string;
  query: URLSearchParams;
}

/** A webhook's answer: plain text, or a body with its content type. */
export type WebhookAnswer = string | { type: string; body: string };

/** Read-only, unscoped: only the find methods of each model. */
export type WebhookLookup = {
  [M in keyof PrismaClient as M extends `$${string}` ? never : M]: PrismaClient[M] extends { findFirst: infer F; findUnique: infer U }
    ? { findFirst: F; findUnique: U }
    : never;
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who signed in, and for which tenant they act. */
export interface Auth {
  /** The signed-in user (for an agency user in a sub-account: the agency user). */
  userId: string;
  /** Whose data this request reads and writes. */
  tenantId: string;
  role: 'USER' | 'ADMIN' | 'AGENCY' | 'SUB_ACCOUNT';
  via: 'session' | 'api_key';
  /** API keys may be read-only; sessions can always write. */
  scope: 'READ' | 'WRITE';
  sessionId?: string;
}

export interface RouteContext<Params, Query, Body, Config = Record<string, unknown>> extends PluginContext<Config> {
  params: Params;
  query: Query;
  body: Body;
  /** The Koa context, for headers, cookies and status. */
  http: Context;
}

export interface SignedInRouteContext<Params, Query, Body, Config = Record<string, unknown>>
  extends RouteContext<Params, Query, Body, Config>,
    TenantContext<Config> {
  auth: Auth;
}

/** A public route whose URL names the tenant (see `tenant` on public routes): its data, and nobody signed in. */
export interface PublicTenantRouteContext<Params, Query, Body, Config = Record<string, unknown>>
  extends RouteContext<Params, Query, Body, Config>,
    TenantContext<Config> {}

/** What a public route's `tenant` reads to find the tenant: the request, already validated. */
export interface TenantInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  http: Context;
}

type Output<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a route answers: a zod schema of its JSON body, `noContent` (204), or a file it writes itself. */
export type RouteResponse = z.ZodType | NoContent | FileResponse;
export interface NoContent {
  kind: 'noContent';
}
export interface FileResponse {
  kind: 'file';
  /** e.g. `text/csv`, `text/html`. */
  contentType: string;
}
/** The answer has no body: 204. */
export const noContent: NoContent = { kind: 'noContent' };
/** The handler writes the body itself (a CSV download, a page), of this content type. */
export function fileResponse(contentType: string): FileResponse {
  return { kind: 'file', contentType };
}

/** What a handler returns for its declared response: the schema's output (dates as Date, as Prisma gives them). */
type Reply<R> = R extends z.ZodType ? z.output<R> : R extends NoContent ? void : unknown;
type Handled<R> = Reply<R> | Promise<Reply<R>>;

interface RouteBase<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends ObjectSchema | undefined, R extends RouteResponse | undefined = RouteResponse | undefined> {
  method: HttpMethod;
  /** Under `/api/<plugin>` (core routes: under `/api`), e.g. `/contacts/:id`. */
  path: string;
  /** One line for API docs. */
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * What a success answers, for the OpenAPI document and the typed UI client: a zod
   * schema of the JSON body as it goes on the wire (dates and decimals via `isoDate`
   * and `decimal` from `@soshogle/core`), `noContent`, or `fileResponse(type)`.
   * In tests every answer is checked against it.
   */
  response?: R;
  /** Status of a successful answer (default 200; 204 with `noContent`). */
  status?: number;
}

export type RouteDefinition<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends ObjectSchema | undefined = ObjectSchema | undefined,
  Config = Record<string, unknown>,
  R extends RouteResponse | undefined = RouteResponse | undefined,
> = OwnRouteDefinition<P, Q, B, Config, R> | PublicTenantRouteDefinition<P, Q, B, Config, R>;

/** A signed-in route, or a public one for no tenant. */
type OwnRouteDefinition<
  P extends ObjectSchema | undefined,
  Q extends ObjectSchema | undefined,
  B extends ObjectSchema | undefined,
  Config,
  R extends RouteResponse | undefined,
> =
  | (RouteBase<P, Q, B, R> & {
      /** Anyone may call it (sign-up, log-in, ...). */
      access: 'public';
      tenant?: undefined;
      handler(ctx: RouteContext<Output<P>, Output<Q>, Output<B>, Config>): Handled<R>;
    })
  | (RouteBase<P, Q, B, R> & {
      /** Default: a signed-in user (session or API key); its data access is scoped to the tenant. */
      access?: 'user';
      /** Only these roles may call it (403 otherwise). */
      roles?: Auth['role'][];
      tenant?: undefined;
      handler(ctx: SignedInRouteContext<Output<P>, Output<Q>, Output<B>, Config>): Handled<R>;
    });

/** A public route for the tenant its URL names (a booking page's slug, a manage link's token). */
export type PublicTenantRouteDefinition<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends ObjectSchema | undefined = ObjectSchema | undefined,
  Config = Record<string, unknown>,
  R extends RouteResponse | undefined = RouteResponse | undefined,
> = RouteBase<P, Q, B, R> & {
  access: 'public';
  /**
   * The tenant the request names, found with `lookup` (the one unscoped, read-only view,
   * as for webhooks) from its validated params, query or body; null answers 404 and the
   * handler never runs. The handler then gets that tenant's context (`db` scoped to it,
   * events, jobs, actions, credentials, providers) and no `auth`, whoever is signed in:
   * everything it reads or writes is that tenant's, so another tenant's id anywhere else
   * in the request is a missing row.
   */
  tenant(input: TenantInput<Output<P>, Output<Q>, Output<B>>, lookup: WebhookLookup): Promise<string | null>;
  handler(ctx: PublicTenantRouteContext<Output<P>, Output<Q>, Output<B>, Config>): Handled<R>;
};

/** An admin screen a plugin adds: a nav entry in the UI, shown only while the plugin is enabled. */
export interface ScreenDefinition {
  /** The UI route, e.g. `/contacts`; everything under it belongs to the screen. */
  path: string;
  label: string;
  /** The `d` of a 24x24 SVG path, drawn as a stroke. */
  icon: string;
  /** Place in the navigation, lower first (the core's Dashboard is 0, Workflows 80, Settings 90). */
  order: number;
}

export interface PluginDefinition<C extends ObjectSchema = ObjectSchema, N extends string = string> {
  /** Lower-case, snake_case; the route prefix (`/api/<name>`) and the key prefix of its actions and triggers. */
  name: N;
  displayName: string;
  description: string;
  /** Plugins that must be enabled too; checked at boot. */
  dependsOn?: string[];
  /** The Prisma models this plugin owns (prisma/schema/<owner>.prisma); nobody else writes them. */
  models?: string[];
  /**
   * Its settings, read from environment variables named `<NAME>_<KEY>` in upper snake
   * case (plugin `messaging`, key `twilioAuthToken`: MESSAGING_TWILIO_AUTH_TOKEN).
   */
  config?: C;
  /** Its admin screens, listed by GET /api/catalog for the UI's navigation. */
  screens?: ScreenDefinition[];
  /** HTTP routes, under `/api/<name>`, each made with defineRoute. */
  routes?: AnyRoute[];
  webhooks?: WebhookDefinition<z.output<C>>[];
  triggers?: TriggerDefinition[];
  actions?: ActionDefinition<ObjectSchema, ObjectSchema, z.output<C>>[];
  subscribers?: SubscriberDefinition[];
  jobs?: JobDefinition<ObjectSchema, z.output<C>>[];
  /** Providers a tenant connects with their own credentials. */
  connections?: ConnectionDefinition[];
  /** Capabilities it owns, which providers (its own or other plugins') serve: see defineCapability. */
  capabilities?: CapabilityDefinition[];
  /** Providers it ships, each serving one or more capabilities: see defineProvider. */
  providers?: AnyProvider[];
  /** What it adds to contacts' timelines (messages, calls, payments, ...). */
  timeline?: TimelineSource[];
  /** The records workflow runs are about that it owns, as conditions and templates see them (`contact`, `deal`). */
  context?: RunContextProvider[];
  /** Its per-tenant numbers for the agency roll-up. */
  counts?: TenantCount[];
  /**
   * Columns of its models that hold secrets encrypted with encryptSecret (context
   * `<Model>.<column>:<row id>`), e.g. `{ CalendarConnection: ['accessToken'] }`, so key
   * rotation re-encrypts them.
   */
  encryptedColumns?: Record<string, string[]>;
  /** What it forgets on a schedule (expired, processed, past a retention): see RetentionDefinition. */
  retention?: RetentionDefinition[];
}

/**
 * Rows of one of the plugin's own models that have served their use (an upload never
 * imported, an expired token). The core deletes them on a schedule (a graphile-worker
 * cron item; one run of a job at a time over every worker process), oldest first, in
 * batches of `batchSize` rows picked `for update skip locked` (live traffic never waits
 * for the prune, nor it for live traffic), each batch its own short transaction with a
 * pause between, until none are left or its time budget is spent: the next tick goes on.
 * Admins see each job's last run in Settings › Data (core/src/lifecycle.ts).
 */
export interface RetentionDefinition {
  /** Stable snake_case name within the plugin; the lifecycle job is `<plugin>.<name>`. */
  name: string;
  /** One line for the operator view, e.g. "CSV uploads never imported, a week after upload". */
  description: string;
  /** The model it deletes from: one the plugin declares in `models` (checked at boot). */
  model: string;
  /**
   * The DateTime column (a Prisma `DateTime`: UTC) a row's age counts from. Index it (or
   * start an index with it): each batch reads the oldest rows by it.
   */
  column: string;
  /**
   * How long after `column` a row is kept: a PostgreSQL interval (`'30 days'`), or an SQL
   * expression of one over the row, aliased `r` (a tenant's own setting). Omitted, the
   * column is an expiry: the row goes once it has passed.
   */
  keep?: string | Prisma.Sql;
  /** Rows kept however old (a run still waiting) fail this condition on `r`; only its own table's columns. */
  where?: Prisma.Sql;
  /** When it runs, as a crontab time (minute hour day-of-month month day-of-week); default every 10 minutes. */
  schedule?: string;
  /** Rows per batch (default 1000); fewer for rows that cascade to many others. */
  batchSize?: number;
}

export function defineRetention(definition: RetentionDefinition): RetentionDefinition {
  return definition;
}

/**
 * Declares a plugin. To type its actions and events for other plugins, its index also
 * names them in `Plugins` (see there).
 */
export function definePlugin<const N extends string, C extends ObjectSchema>(definition: PluginDefinition<C, N>): PluginDefinition<C, N> {
  return definition;
}

/**
 * Declares an action. Pass the plugin's `config` schema (as Activepieces passes a
 * piece's auth) to type `ctx.config` inside `run`.
 */
export function defineAction<P extends ObjectSchema, O extends ObjectSchema, const N extends string, C extends ObjectSchema = ObjectSchema>(
  definition: ActionDefinition<P, O, z.output<C>, N> & { config?: C },
): ActionDefinition<P, O, z.output<C>, N> {
  return definition;
}

export function defineTrigger<P extends ObjectSchema, F extends ObjectSchema, const N extends string>(
  definition: TriggerDefinition<P, F, N>,
): TriggerDefinition<P, F, N> {
  return definition;
}

/** Declares a subscriber to a declared event: `event.payload` is that trigger's payload. */
export function defineSubscriber<const T extends EventType>(definition: SubscriberDefinition<T>): SubscriberDefinition<T> {
  return definition;
}

export function defineJob<P extends ObjectSchema, C extends ObjectSchema = ObjectSchema>(
  definition: JobDefinition<P, z.output<C>> & { config?: C },
): JobDefinition<P, z.output<C>> {
  return definition;
}

export function defineConnection(definition: ConnectionDefinition): ConnectionDefinition {
  return definition;
}

export function defineTimelineSource(definition: TimelineSource): TimelineSource {
  return definition;
}

export function defineRunContext(definition: RunContextProvider): RunContextProvider {
  return definition;
}

export function defineCount(definition: TenantCount): TenantCount {
  return definition;
}

/** A Prisma `groupBy({ by: ['userId'], _count: { _all: true } })` answer as a count's result. */
export function countsByTenant(rows: { userId: string; _count: { _all: number } }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.userId, r._count._all]));
}

export function defineWebhook<C extends ObjectSchema = ObjectSchema>(
  definition: WebhookDefinition<z.output<C>> & { config?: C },
): WebhookDefinition<z.output<C>> {
  return definition;
}

/** Any declared route, whatever its schemas: what lists of routes hold. */
export type AnyRoute = RouteBase<ObjectSchema | undefined, ObjectSchema | undefined, ObjectSchema | undefined> & {
  access?: 'public' | 'user';
  roles?: Auth['role'][];
  tenant?(input: TenantInput<never, never, never>, lookup: WebhookLookup): Promise<string | null>;
  handler(ctx: never): unknown;
};

/**
 * Declares an HTTP route: its params, query and body are validated before the handler
 * runs (a 422 naming each failing field), and the `db` of a signed-in route, or of a
 * public one that declares `tenant`, is scoped to the tenant. Pass the plugin's `config`
 * schema to type `ctx.config`.
 */
export function defineRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
  C extends ObjectSchema = ObjectSchema,
  R extends RouteResponse | undefined = undefined,
>(definition: PublicTenantRouteDefinition<P, Q, B, z.output<C>, R> & { config?: C }): PublicTenantRouteDefinition<P, Q, B, z.output<C>, R>;
export function defineRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
  C extends ObjectSchema = ObjectSchema,
  R extends RouteResponse | undefined = undefined,
>(definition: OwnRouteDefinition<P, Q, B, z.output<C>, R> & { config?: C }): RouteDefinition<P, Q, B, z.output<C>, R>;
// Overloads rather than one union: TypeScript types the handler's `ctx` from `access`, and
// only an overload can tell a public route with `tenant` from one without.
export function defineRoute(definition: RouteDefinition): RouteDefinition {
  return definition;
}

// --- Typed contracts between plugins --------------------------------------------------------

/**
 * What each plugin offers the others, by plugin name: filled by each plugin's index with
 * one line naming its declared actions and triggers, e.g.
 *
 *     declare module '@soshogle/core' {
 *       interface Plugins { crm: { actions: typeof contactActions; triggers: [typeof dealWon] } }
 *     }
 *
 * From it the core derives `ActionKey`, `ActionProps`, `ActionOutput`, `EventType`,
 * `EventPayload`: `ctx.actions.run`, `events.raise` and `defineSubscriber` check keys,
 * props and payloads against the declarations' zod schemas, so renaming a field or key
 * fails the typecheck. It names the actions and triggers rather than the whole plugin
 * because the plugin's routes and subscribers are themselves typed from this registry
 * (`typeof plugin` would be circular). An action whose output is computed from another
 * action's output annotates its `run` return type, for the same reason.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Plugins {}

/** The shape of one `Plugins` entry. */
export interface PluginOffer {
  actions?: readonly ActionDefinition[];
  triggers?: readonly TriggerDefinition[];
}

/** One `{ key, definition }` per declaration of kind `K` of every plugin in `Plugins`. */
type Offered<K extends keyof PluginOffer> = {
  [P in keyof Plugins]: Plugins[P] extends { [_ in K]?: readonly (infer D)[] } ? Keyed<P & string, D> : never;
}[keyof Plugins];
type Keyed<P extends string, D> = D extends { name: infer N extends string } ? { key: `${P}.${N}`; definition: D } : never;

/** Computed once for the program: each action's props (before parsing) and output. */
type ActionTypes = {
  [E in Offered<'actions'> as E['key']]: E['definition'] extends { props: infer P extends ObjectSchema; output: infer O extends ObjectSchema }
    ? { props: z.input<P>; output: z.output<O> }
    : never;
};
/** Computed once for the program: each event's payload before and after parsing. */
type EventTypes = {
  [E in Offered<'triggers'> as E['key']]: E['definition'] extends { payload: infer P extends ObjectSchema } ? { input: z.input<P>; output: z.output<P> } : never;
};

/** `<plugin>.<action>` of every action a plugin offers in `Plugins`. */
export type ActionKey = keyof ActionTypes & string;
/** What `ctx.actions.run(tx, key, props)` accepts as props. */
export type ActionProps<K extends ActionKey> = ActionTypes[K]['props'];
/** What `ctx.actions.run(tx, key, props)` resolves to. */
export type ActionOutput<K extends ActionKey> = ActionTypes[K]['output'];
/** `<plugin>.<trigger>` of every trigger a plugin offers in `Plugins`. */
export type EventType = keyof EventTypes & string;
/** The payload subscribers get (parsed by the trigger's schema). */
export type EventPayload<T extends EventType> = EventTypes[T]['output'];
/** The payload `events.raise` accepts (before parsing: defaults may be left out). */
export type EventPayloadInput<T extends EventType> = EventTypes[T]['input'];

// ---------------------------------------------------------------------------------------
// Capabilities and providers: one capability (send an SMS, take a payment, sync a
// calendar) served by several providers (Twilio or another SMS provider; Stripe, PayPal
// or Square), as Medusa v2 puts providers behind a module's interface. The plugin that
// owns a capability declares it and its interface; any plugin may ship a provider for
// it; each tenant picks one by connecting it. See docs/providers.md.

/**
 * The interface of each capability, by key (`<plugin>.<name>`). Empty here: the owning
 * plugin adds its capabilities by declaration merging, so `ctx.providers.get(key)` and
 * `defineProvider({ serves: { [key]: ... } })` are typed without casts:
 *
 *   declare module '@soshogle/core' {
 *     interface Capabilities { 'messaging.sms': MessageProvider<TextMessage> }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Capabilities {}

/** A capability's key, `<plugin>.<name>`, once its owner has declared its interface. */
export type CapabilityKey = keyof Capabilities & string;

export interface CapabilityDefinition {
  /** Stable snake_case name within the plugin; the key is `<plugin>.<name>`. */
  name: string;
  displayName: string;
  description: string;
}

/**
 * A provider: a connection (the credentials a tenant enters, stored as
 * `<plugin>/<provider>` like any connection) that serves capabilities. `serves` makes,
 * per capability, the implementation bound to one tenant's credentials; `ctx` is the
 * declaring plugin's context for that tenant (its config, its data, publicUrl).
 * Twilio serves SMS and WhatsApp with one account, so one provider may serve several.
 */
export interface ProviderDefinition<C extends ObjectSchema = ObjectSchema, Config = Record<string, unknown>> extends ConnectionDefinition {
  credentials: C;
  serves: { [K in CapabilityKey]?: (ctx: TenantContext<Config>, credentials: z.output<C>) => Capabilities[K] };
}

/** Any declared provider, whatever its credentials and config: what lists of providers hold. */
export type AnyProvider = ConnectionDefinition & {
  serves: { [K in CapabilityKey]?: (ctx: never, credentials: never) => Capabilities[K] };
};

/** A tenant's connected provider for capability K. */
export interface ConnectedProvider<K extends CapabilityKey> {
  /** Its name, e.g. `twilio`: what records made through it (a message's provider) keep. */
  provider: string;
  /** The plugin that ships it (where its connection is stored). */
  plugin: string;
  displayName: string;
  /** The capability's interface, bound to the tenant's credentials. */
  service: Capabilities[K];
}

export interface OfferedProvider {
  provider: string;
  plugin: string;
  displayName: string;
}

export interface Providers {
  /**
   * The tenant's provider for `capability`, or null: none is connected, so the owner runs
   * it in sandbox mode. When the tenant has connected several providers of the
   * capability, the one connected most recently (first saved last) serves; re-saving
   * credentials does not change which. Pass `tx` inside a transaction (as for credentials).
   */
  get<K extends CapabilityKey>(capability: K, options?: { tx?: TenantTx }): Promise<ConnectedProvider<K> | null>;
  /** Every enabled provider of `capability`, connected or not, in plugin order. */
  offered(capability: CapabilityKey): OfferedProvider[];
}

export function defineCapability(definition: CapabilityDefinition): CapabilityDefinition {
  return definition;
}

/**
 * Declares a provider. Pass the declaring plugin's `config` schema to type `ctx.config`
 * in its implementations. The capabilities it serves must be declared by an enabled
 * plugin (checked at boot).
 */
export function defineProvider<C extends ObjectSchema, Cfg extends ObjectSchema = ObjectSchema>(
  definition: ProviderDefinition<C, z.output<Cfg>> & { config?: Cfg },
): AnyProvider {
  return definition;
}
