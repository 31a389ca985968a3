// A plain round-robin HTTP balancer for the soak, as a load balancer with passive health
// checks behaves: each request goes to the next backend; a backend that refuses the
// connection (its process is down) is skipped, since nothing reached it; any other
// failure after the request went out answers 502, as the client cannot know whether it
// was handled (the load generator then treats the outcome as unknown).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  /** Answers by status, plus 'refused' when every backend refused. */
  answered: Map<number | 'refused', number>;
  close(): Promise<void>;
}

export async function startBalancer(backends: () => number[]): Promise<Balancer> {
  let next = 0;
  const answered = new Map<number | 'refused', number>();
  const count = (key: number | 'refused') => answered.set(key, (answered.get(key) ?? 0) + 1);
  // Kept-alive sockets to the backends, as nginx's upstream keepalive.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const ports = backends();
      const attempt = (tries: number) => {
        if (tries >= ports.length) {
          count('refused');
          res.writeHead(503, { 'content-type': 'text/plain' }).end('no backend up');
          return;
        }
        const port = ports[next++ % ports.length]!;
        const upstream = http.request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: req.headers.host ?? `127.0.0.1:${port}` }, agent },
          (up) => {
            count(up.statusCode ?? 0);
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            up.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (res.headersSent) return res.destroy();
          // Refused: the request never reached a process, so another backend may take it.
          if (error.code === 'ECONNREFUSED') return attempt(tries + 1);
          count(502);
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`backend failed: ${error.code ?? error.message}`);
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
