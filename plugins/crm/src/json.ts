// Json columns on the wire. Prisma types a Json column as any JSON value, while the API
// says what the CRM stores in it (custom field values, a saved filter, a job's counts).
// The codec keeps both: the wire shape goes in the OpenAPI document and the UI's types,
// the handler returns the column as Prisma gives it, and tests check every answer's
// value against the shape (core/src/http/routes.ts).
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';

/** A Json column that holds `shape`. */
export const storedJson = <S extends z.ZodType>(shape: S) =>
  z.codec(shape, z.custom<Prisma.JsonValue>(), {
    decode: (value) => value as Prisma.JsonValue,
    encode: (value) => value as z.output<S>,
  });
