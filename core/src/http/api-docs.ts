// The API's own description: the OpenAPI document at /api/openapi.json, and a readable
// reference at /api/docs rendered by Swagger UI (served from the installed package, so
// it works offline and behind a firewall).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { send } from '@koa/send';
import { z } from 'zod';
import { defineRoute, fileResponse, type AnyRoute } from '../plugin.ts';

const swaggerUi = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Soshogle API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/reference.js"></script>
</body>
</html>
`;

// An external script, not an inline one, so a Content-Security-Policy without 'unsafe-inline' allows it.
// "Try it out" runs with the browser's session cookie; Authorize takes the CSRF token or an API key.
const script = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#api', deepLinking: true, withCredentials: true });
`;

const documentShape = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const apiVersion: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The document comes from `describe`, called once after every route is mounted. */
export function apiDocsRoutes(describe: () => object): AnyRoute[] {
  let document: object | undefined;
  return [
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      access: 'public',
      response: documentShape,
      handler: () => (document ??= describe()) as z.output<typeof documentShape>,
    }),
    defineRoute({
      method: 'GET',
      path: '/docs',
      summary: 'The API reference, readable in a browser',
      access: 'public',
      response: fileResponse('text/html'),
      handler: ({ http }) => {
        http.type = 'text/html; charset=utf-8';
        http.body = page;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/docs/:file',
      summary: "The reference page's script and styles",
      access: 'public',
      params: z.object({ file: z.enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'reference.js']) }),
      response: fileResponse('text/javascript'),
      handler: async ({ http, params }) => {
        if (params.file === 'reference.js') {
          http.type = 'text/javascript; charset=utf-8';
          http.body = script;
          return;
        }
        await send(http, params.file, { root: swaggerUi, maxage: 24 * 3600 * 1000 });
      },
    }),
  ];
}
