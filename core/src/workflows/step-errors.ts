// How a step's errors are told apart: retry, fail at once, or an outcome nobody knows.
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { Problem } from '../http/problem.ts';
import { PermanentFailure } from '../plugin.ts';
import { WebhookRefused } from './outbound-webhook.ts';
import { TemplateError } from './templates.ts';

/** Thrown inside a step's transaction to roll back its action when the step turns out to be done already. */
export class AlreadyDone extends Error {}

/** A provider action ran, but its success could not be recorded: its outcome is unknown. */
export class OutcomeUnrecorded extends Error {}

/** Errors that retrying cannot fix: the step fails at once. */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentFailure ||
    error instanceof TemplateError ||
    error instanceof WebhookRefused ||
    error instanceof z.ZodError ||
    (error instanceof Problem && error.status < 500) ||
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025')
  );
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
