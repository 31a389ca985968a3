// Response schemas describe the JSON a client receives, while handlers return what
// Prisma gives them (Date, Decimal). These codecs say both: the wire side (an ISO string,
// a decimal string) goes in the OpenAPI document, the other side types the handler.
import { z } from 'zod';

/** A timestamp: an ISO 8601 string on the wire, a Date (or its string) in the handler. */
export const isoDate = z.codec(z.iso.datetime({ offset: true }), z.union([z.date(), z.string()]), {
  decode: (text) => new Date(text),
  encode: (value) => (value instanceof Date ? value.toISOString() : value),
});

/** Prisma's Decimal, structurally: anything that prints itself exactly. */
interface DecimalLike {
  toFixed(decimals?: number): string;
}

/** An exact decimal (money): a string on the wire (`"1200.50"`), a Prisma Decimal or a string in the handler. */
export const decimal = z.codec(
  z.string().regex(/^-?\d+(\.\d+)?$/, 'Not a decimal number'),
  z.union([z.string(), z.custom<DecimalLike>((v) => typeof v === 'object' && v !== null && typeof (v as DecimalLike).toFixed === 'function')]),
  { decode: (text) => text, encode: (value) => (typeof value === 'string' ? value : String(value)) },
);
