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
import type { PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Logger } from './logger.ts';
import type { TenantDb, TenantTx } from './tenancy.ts';

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
   * its deliveries commit or roll back with the change that raised it.
   * Returns the event id.
   */
  raise(tx: Db, type: string, payload: unknown, options: RaiseOptions): Promise<string>;
  /**
   * Raises one event per payload, in a few statements however many there are (a batch of
   * messages sent). Transactional subscribers with `runMany` get them in one call.
   * Returns the event ids, in order.
   */
  raiseMany(tx: Db, type: string, payloads: unknown[], options: RaiseOptions): Promise<string[]>;
}

export interface EnqueueOptions {
  /** The tenant the work is for; the job runs with that tenant's data access only. */
  tenantId: string;
  /** Not before this time (default: now). */
  runAt?: Date;
}

export interface Jobs {
  /**
   * Queues the job `key` (`<plugin>.<name>`) inside `tx`: it runs only if the transaction
   * commits, at least once, on whichever worker takes it.
   */
  enqueue(tx: Db, key: string, payload: unknown, options: EnqueueOptions): Promise<void>;
}

export interface Workflows {
  /**
   * Starts the published workflow `workflowId` for each of `contactIds` (the tenant's;
   * others are skipped), inside `tx`, as `core.manual` events would. Answers 404 for an
   * unknown workflow and 409 for one never published. Returns how many were queued.
   */
  start(tx: Db, workflowId: string, contactIds: string[], options: { tenantId: string }): Promise<{ queued: number }>;
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
   * importing each other. Returns the action's output.
   */
  run<T = Record<string, unknown>>(tx: TenantTx, key: string, props: unknown, options: RunActionOptions): Promise<T>;
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
> {
  /** Stable snake_case name within the plugin; the full key is `<plugin>.<name>`. */
  name: string;
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

export interface TriggerDefinition<P extends ObjectSchema = ObjectSchema, F extends ObjectSchema = ObjectSchema> {
  /** Stable snake_case name within the plugin; the event type is `<plugin>.<name>`. */
  name: string;
  displayName: string;
  description: string;
  /** The event's data. */
  payload: P;
  /** The settings a workflow gives the trigger (which tag, which stage, ...). */
  filter: F;
  /** Whether an event with `payload` passes a workflow's `filter`. */
  matches(filter: z.output<F>, payload: z.output<P>): boolean;
}

export interface SubscriberDefinition {
  /** Stable snake_case name within the plugin. */
  name: string;
  /** The event type it handles, e.g. `crm.contact_created`. */
  event: string;
  /**
   * True: runs inside the transaction that raises the event, before `raise` returns, and
   * `ctx.db` is that transaction; a throw rolls the change back. For keeping data
   * consistent across plugins (a renamed tag in workflow filters); keep it to a few
   * statements. False (default): a durable job after the commit.
   */
  transactional?: boolean;
  /** Called at least once per event: use `event.id` to make repeats harmless. */
  run(ctx: TenantContext, event: DeliveredEvent): Promise<void>;
  /**
   * Transactional subscribers only: handles the events of one `raiseMany` in one call (a
   * set-based statement instead of one per event). Without it, `run` is called per event.
   */
  runMany?(ctx: TenantContext, events: DeliveredEvent[]): Promise<void>;
}

export interface DeliveredEvent {
  id: string;
  type: string;
  tenantId: string;
  payload: unknown;
  occurredAt: string;
  /** How many workflow runs led to it (0 for a person's or provider's action). */
  depth: number;
}

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
   * whose id was seen before (for the same tenant) is acknowledged and ignored:
   * providers retry and duplicate.
   */
  deliveryId(request: WebhookRequest): string;
  /**
   * The tenant the delivery belongs to, found by the provider's identifiers (the number
   * called, the account id). `lookup` is the one unscoped, read-only view plugin code
   * gets, for exactly this. Null: acknowledge and ignore (e.g. a number we no longer own).
   * Required unless the path names the tenant.
   */
  tenant?(request: WebhookRequest, lookup: WebhookLookup): Promise<string | null>;
  /**
   * Handles a verified, first-seen delivery. `ctx.tx` is a transaction scoped to the
   * tenant; the record of the delivery id commits or rolls back with it.
   */
  handle(request: WebhookRequest, ctx: PluginContext<Config> & { tenantId: string; tx: TenantTx; credentials: Credentials }): Promise<void>;
  /**
   * A GET on the same path: the provider's subscription handshake (Meta sends
   * `hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`), or a page a person
   * opens from a link. Returns the text to answer with (plain text), a body with its
   * content type, or null to refuse (403). Without it, GET is not served.
   */
  handshake?(query: URLSearchParams, ctx: WebhookVerifyContext<Config>): WebhookAnswer | null | Promise<WebhookAnswer | null>;
  /** The largest body accepted, in bytes (default 1 MB); larger ones get 413. */
  maxBytes?: number;
  /** What a verified delivery is answered with (default JSON `{ received: true }`); Twilio wants TwiML. */
  reply?: { type: string; body: string };
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

type Output<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

interface RouteBase<P extends ObjectSchema | undefined, Q extends ObjectSchema | undefined, B extends ObjectSchema | undefined> {
  method: HttpMethod;
  /** Under `/api/<plugin>` (core routes: under `/api`), e.g. `/contacts/:id`. */
  path: string;
  /** One line for API docs. */
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Status of a successful answer (default 200). */
  status?: number;
}

export type RouteDefinition<
  P extends ObjectSchema | undefined = ObjectSchema | undefined,
  Q extends ObjectSchema | undefined = ObjectSchema | undefined,
  B extends ObjectSchema | undefined = ObjectSchema | undefined,
  Config = Record<string, unknown>,
> =
  | (RouteBase<P, Q, B> & {
      /** Anyone may call it (sign-up, log-in, ...). */
      access: 'public';
      handler(ctx: RouteContext<Output<P>, Output<Q>, Output<B>, Config>): unknown;
    })
  | (RouteBase<P, Q, B> & {
      /** Default: a signed-in user (session or API key); its data access is scoped to the tenant. */
      access?: 'user';
      /** Only these roles may call it (403 otherwise). */
      roles?: Auth['role'][];
      handler(ctx: SignedInRouteContext<Output<P>, Output<Q>, Output<B>, Config>): unknown;
    });

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

export interface PluginDefinition<C extends ObjectSchema = ObjectSchema> {
  /** Lower-case, snake_case; the route prefix (`/api/<name>`) and the key prefix of its actions and triggers. */
  name: string;
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
  /** What it adds to contacts' timelines (messages, calls, payments, ...). */
  timeline?: TimelineSource[];
  /**
   * Columns of its models that hold secrets encrypted with encryptSecret (context
   * `<Model>.<column>:<row id>`), e.g. `{ CalendarConnection: ['accessToken'] }`, so key
   * rotation re-encrypts them.
   */
  encryptedColumns?: Record<string, string[]>;
}

export function definePlugin<C extends ObjectSchema>(definition: PluginDefinition<C>): PluginDefinition<C> {
  return definition;
}

/**
 * Declares an action. Pass the plugin's `config` schema (as Activepieces passes a
 * piece's auth) to type `ctx.config` inside `run`.
 */
export function defineAction<P extends ObjectSchema, O extends ObjectSchema, C extends ObjectSchema = ObjectSchema>(
  definition: ActionDefinition<P, O, z.output<C>> & { config?: C },
): ActionDefinition<P, O, z.output<C>> {
  return definition;
}

export function defineTrigger<P extends ObjectSchema, F extends ObjectSchema>(
  definition: TriggerDefinition<P, F>,
): TriggerDefinition<P, F> {
  return definition;
}

export function defineSubscriber(definition: SubscriberDefinition): SubscriberDefinition {
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

export function defineWebhook<C extends ObjectSchema = ObjectSchema>(
  definition: WebhookDefinition<z.output<C>> & { config?: C },
): WebhookDefinition<z.output<C>> {
  return definition;
}

/** Any declared route, whatever its schemas: what lists of routes hold. */
export type AnyRoute = RouteBase<ObjectSchema | undefined, ObjectSchema | undefined, ObjectSchema | undefined> & {
  access?: 'public' | 'user';
  roles?: Auth['role'][];
  handler(ctx: never): unknown;
};

/**
 * Declares an HTTP route: its params, query and body are validated before the handler
 * runs (a 422 naming each failing field), and a signed-in route's `db` is scoped to
 * the tenant. Pass the plugin's `config` schema to type `ctx.config`.
 */
export function defineRoute<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
  C extends ObjectSchema = ObjectSchema,
>(definition: RouteDefinition<P, Q, B, z.output<C>> & { config?: C }): RouteDefinition<P, Q, B, z.output<C>> {
  return definition;
}
