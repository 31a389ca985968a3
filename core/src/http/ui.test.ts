// The admin UI is served by the API's own process: pages get the app's shell, hashed
// bundles are cached for good and sent compressed, and the API keeps its own 404s.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startTestSoshogle } from '../testing/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'soshogle-ui-'));
writeFileSync(path.join(dir, '200.html'), '<!doctype html><title>Soshogle</title>');
mkdirSync(path.join(dir, '_app/immutable'), { recursive: true });
const bundle = 'console.log("soshogle")'.repeat(50);
writeFileSync(path.join(dir, '_app/immutable/start.abc123.js'), bundle);
writeFileSync(path.join(dir, '_app/immutable/start.abc123.js.gz'), gzipSync(bundle));
writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');

const app = await startTestSoshogle([], { UI_DIR: dir });
const unbuilt = await startTestSoshogle([], { UI_DIR: path.join(dir, 'missing') });

describe('the admin UI', () => {
  it('answers / and any app path with the shell, revalidated on every visit', async () => {
    for (const page of ['/', '/contacts', '/contacts/abc/edit', '/login?next=%2F']) {
      const res = await fetch(`${app.url}${page}`);
      expect(res.status, page).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('max-age=0');
      expect(await res.text()).toContain('<title>Soshogle</title>');
    }
  });

  it('sends hashed bundles gzipped and cached as immutable, plain files as they are', async () => {
    const res = await fetch(`${app.url}/_app/immutable/start.abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await res.text()).toBe(bundle); // fetch undoes the gzip
    const icon = await fetch(`${app.url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toMatch(/svg/);
  });

  it('answers a missing asset with 404, not the shell', async () => {
    expect((await fetch(`${app.url}/_app/immutable/gone.js`)).status).toBe(404);
  });

  it('leaves the API, webhooks and health checks their own answers', async () => {
    const api = await fetch(`${app.url}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await fetch(`${app.url}/webhooks/nothing`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/contacts`, { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the UI when it is not built', async () => {
    const res = await fetch(`${unbuilt.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/ui:build/);
  });
});
