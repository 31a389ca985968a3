// The public endpoints' rate limits (FORMS_* settings): form loads per address per minute,
// submissions per address per hour and per form per minute. Checked first (a refused
// request still counts), so a flood costs one small write per request.
import { Problem, type PluginContext } from '@soshogle/core';
import type { FormsConfig } from '../config.ts';

type Ctx = Pick<PluginContext<FormsConfig>, 'rateLimit' | 'config'>;

async function hit(ctx: Ctx, key: string, limit: number, windowSeconds: number, what: string): Promise<void> {
  const { allowed, retryAfter } = await ctx.rateLimit(key, limit, windowSeconds);
  if (!allowed) throw new Problem(429, 'Too Many Requests', `Too many ${what}: try again in ${retryAfter} s`, { retryAfter });
}

export const limitReads = (ctx: Ctx, ip: string) => hit(ctx, `reads:ip:${ip}`, ctx.config.readsPerIpMinute, 60, 'requests');

export async function limitSubmissions(ctx: Ctx, ip: string, formId: string): Promise<void> {
  await hit(ctx, `submissions:ip:${ip}`, ctx.config.submissionsPerIpHour, 3600, 'submissions from this address');
  await hit(ctx, `submissions:form:${formId}`, ctx.config.submissionsPerFormMinute, 60, 'submissions to this form');
}
