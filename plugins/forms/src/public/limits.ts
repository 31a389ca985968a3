// The public endpoints' rate limits (FORMS_* settings): form loads per address per minute,
// submissions per address per hour and per form per minute. Checked first (a refused
// request still counts), so a flood costs one small write per request (a submission's two counts are one statement).
// That statement is not folded into the one storing a good submission: there the form's count
// row would stay locked through the insert's WAL flush, so every POST to a busy form would queue
// behind the one before (tried: accepted/s fell by more than half; performance.md, Forms).
import { limitHits, type PluginContext } from '@soshogle/core';
import type { FormsConfig } from '../config.ts';

type Ctx = Pick<PluginContext<FormsConfig>, 'rateLimits' | 'config'>;

export const limitReads = (ctx: Ctx, ip: string) => limitHits(ctx, [{ key: `reads:ip:${ip}`, limit: ctx.config.readsPerIpMinute, windowSeconds: 60, what: 'requests' }]);

/** Both counted in one statement (a refused request counts on both). */
export const limitSubmissions = (ctx: Ctx, ip: string, formId: string) =>
  limitHits(ctx, [
    { key: `submissions:ip:${ip}`, limit: ctx.config.submissionsPerIpHour, windowSeconds: 3600, what: 'submissions from this address' },
    { key: `submissions:form:${formId}`, limit: ctx.config.submissionsPerFormMinute, windowSeconds: 60, what: 'submissions to this form' },
  ]);
