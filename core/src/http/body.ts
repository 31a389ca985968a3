// The API's JSON body parser. Whatever goes wrong reading a body is the client's bytes:
// a bad Content-Encoding, bytes that do not decode, JSON that does not parse, a body
// over the limit. Each answers a 4xx problem, never a 500.
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import { Problem, refuse } from './problem.ts';

/** Encodings the parser decodes (inflation's list); anything else is refused before reading. */
const encodings = new Set(['identity', 'gzip', 'deflate', 'br']);

/** The problem for an error thrown while reading or parsing a request body. */
export function bodyProblem(error: unknown, encoding: string): Problem {
  if (error instanceof Problem) return error;
  const e = (error ?? {}) as { status?: unknown; expose?: unknown; message?: string; code?: unknown; type?: unknown };
  if (e.status === 415 || !encodings.has(encoding)) return refuse(415, `Content-Encoding "${encoding}" is not supported; send identity, gzip, deflate or br`);
  // zlib's errors carry Z_... codes and no status: the body is not what its encoding says.
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return refuse(400, `The body is not valid ${encoding} data`);
  if (e.status === 413) return refuse(413, (e.message ?? 'The body is too large'));
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return refuse(415, e.message ?? 'Unsupported charset');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false) return refuse(e.status, e.message ?? 'Bad request body');
  return refuse(400, 'The request body could not be read as JSON');
}

/** JSON bodies only (objects and arrays), at most `limit`. */
export function jsonBody(limit: string | number): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    // Without this a JSON body of `"text"` or `3` would reach handlers as a string.
    jsonStrict: true,
    onError: (error, ctx) => {
      const encoding = (ctx.get('content-encoding') || 'identity').toLowerCase();
      throw bodyProblem(error, encoding);
    },
  });
}

/**
 * The request's body as bytes decoded by its Content-Encoding, for a route that reads its
 * own body (a file upload): an encoding we do not decode answers 415, bytes that do not
 * decode 400, as the JSON parser answers them.
 */
export async function* decodedBody(ctx: Context): AsyncGenerator<Buffer> {
  const encoding = (ctx.get('content-encoding') || 'identity').toLowerCase();
  if (!encodings.has(encoding)) throw bodyProblem(null, encoding);
  // pipeline, not pipe: a client that hangs up midway ends the loop with an error instead of leaving it waiting.
  const source = encoding === 'identity' ? ctx.req : pipeline(ctx.req, encoding === 'br' ? createBrotliDecompress() : createUnzip(), () => {});
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } catch (error) {
    throw bodyProblem(error, encoding);
  }
}
