// The admin UI: SvelteKit's static build served at /, one process and one port with the
// API. Paths that are not files get the app's shell (200.html), which routes in the browser.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { send } from '@koa/send';
import type { Context, Next } from 'koa';

/** Paths the UI never answers: the API, provider webhooks and health checks keep their own 404s. */
const notUi = /^\/(api|webhooks)(\/|$)|^\/(healthz|readyz)$/;

export function serveUi(dir: string) {
  const root = path.resolve(dir);
  const shell = '200.html';
  const built = () => existsSync(path.join(root, shell));
  return async function ui(ctx: Context, next: Next): Promise<void> {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || notUi.test(ctx.path)) return;
    if (!built()) {
      ctx.status = 503;
      ctx.type = 'text/plain';
      ctx.body = `The admin UI is not built (no ${path.join(root, shell)}). Run: npx pnpm@10 ui:build\n`;
      return;
    }
    // Hashed bundles never change under their name; everything else is revalidated
    // (max-age=0). Brotli or gzip copies made at build time are sent when accepted.
    const immutable = ctx.path.startsWith('/_app/immutable/');
    const options = { root, immutable, maxage: immutable ? 365 * 24 * 3600 * 1000 : 0 };
    // The same URL may be sent as brotli, gzip or plain: shared caches must key on it.
    ctx.vary('Accept-Encoding');
    try {
      const served = await send(ctx, ctx.path, options);
      if (served) return;
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    // An asset that is not there is a 404; anything else is a page of the app.
    if (path.extname(ctx.path) && !ctx.path.endsWith('.html')) {
      ctx.status = 404;
      return;
    }
    await send(ctx, shell, options);
  };
}
