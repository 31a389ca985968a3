// The public endpoints' rate limits (FORMS_* settings): form loads per address per minute,
// submissions per address per hour and per form per minute. Checked first (a refused
// request still counts), so a flood costs one small write per request.
import { limitHits, type PluginContext } from '@soshogle/core';
import type { FormsConfig } from '../config.ts';

type Ctx = Pick<PluginContext<FormsConfig>, 'rateLimit' | 'config'>;

export const limitReads = (ctx: Ctx, ip: string) => limitHits(ctx, `reads:ip:${ip}`, ctx.config.readsPerIpMinute, 60, 'requests');

export async function limitSubmissions(ctx: Ctx, ip: string, formId: string): Promise<void> {
  await limitHits(ctx, `submissions:ip:${ip}`, ctx.config.submissionsPerIpHour, 3600, 'submissions from this address');
  await limitHits(ctx, `submissions:form:${formId}`, ctx.config.submissionsPerFormMinute, 60, 'submissions to this form');
}
