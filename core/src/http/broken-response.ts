// A response that fails after its headers went out (a streamed download whose source
// errors midway) cannot become an error answer any more. Koa then destroys the response,
// so the client sees an aborted transfer (chunked encoding never terminated), not a
// complete-looking file; this logs it, with the request's id, in our log.
import type Koa from 'koa';
import type { Logger } from '../logger.ts';

export function logBrokenResponses(koa: Koa, log: Logger): void {
  // Errors thrown by middleware never get here: the problem middleware answers them.
  koa.on('error', (error: unknown, ctx?: Koa.Context) => {
    const requestLog = (ctx?.state.log as Logger | undefined) ?? log;
    const code = (error as { code?: unknown } | null)?.code;
    // The client hanging up midway is routine; a source failing midway is ours to look at.
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') requestLog.info({ path: ctx?.path }, 'client left before the response ended');
    else requestLog.error({ err: error, path: ctx?.path }, 'response failed after its headers were sent; the transfer was aborted');
  });
}
