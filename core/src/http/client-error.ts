// Requests Node refuses before Koa sees them (a URL or headers over --max-http-header-size,
// bytes that are not HTTP): answered as problem+json like every other refusal, instead of
// Node's bare status line with an empty body.
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const details: Record<number, string> = {
  431: 'The URL and headers are too large (16 KB at most together); send long filters in a request body',
  413: 'The request is too large',
  408: 'The request took too long to arrive',
  400: 'The request is not valid HTTP',
};

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Nothing to answer: the client left, or a response is already under way on this socket.
  if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const status = statusFor(error.code);
  const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail: details[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Installs the answer on a server (Node's default handler is replaced by any listener). */
export function answerClientErrors(server: Server): void {
  server.on('clientError', answerClientError);
}
