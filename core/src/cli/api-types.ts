// `npx -y pnpm@10 api:types`: writes ui/src/lib/api-types.ts, the admin UI's types of
// every route, from the OpenAPI document of the plugins a production install enables.
// Run it after changing a route's schemas; a test fails while the file is out of date.
import { writeFileSync } from 'node:fs';
import { apiVersion } from '../http/api-docs.ts';
import { describeRoutes, openApiDocument, uiTypes } from '../api-description.ts';
import { enabledPluginNames, importPlugins } from '../plugin-host.ts';

export const uiTypesFile = new URL('../../../ui/src/lib/api-types.ts', import.meta.url);

export async function productionDocument(root = process.cwd()): Promise<object> {
  const routes = describeRoutes(await importPlugins(enabledPluginNames(undefined, root, 'production'), root));
  return openApiDocument({ routes, webhooks: [], version: apiVersion });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(uiTypesFile, await uiTypes(await productionDocument()));
  console.log(`wrote ${uiTypesFile.pathname}`);
}
