import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadStaticSite, serveStaticSites } from './static-site';

describe(serveStaticSites.name, () => {
  let dir: string;
  let fastify: FastifyInstance;
  const silent = pino({ level: 'silent' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'static-site-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Phone</title>');
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'inside the site, served');
    writeFileSync(join(tmpdir(), 'outside-static-site.txt'), 'never served');
    fastify = new FastifyAdapter().getInstance() as unknown as FastifyInstance;
    serveStaticSites(
      fastify,
      [
        { urlPath: '/phone', directory: dir, missingHint: 'build it' },
        { urlPath: '/gone', directory: join(dir, 'missing'), missingHint: 'run npm run build' },
      ],
      silent,
    );
    await fastify.ready();
  });
  afterAll(async () => {
    await fastify.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects the bare path and serves index.html with the security headers', async () => {
    const bare = await fastify.inject({ method: 'GET', url: '/phone' });
    expect(bare.statusCode).toBe(308);
    expect(bare.headers.location).toBe('/phone/');
    const page = await fastify.inject({ method: 'GET', url: '/phone/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<title>Phone</title>');
  });

  it('serves hashed assets as immutable and answers a matching ETag with 304', async () => {
    const asset = await fastify.inject({ method: 'GET', url: '/phone/assets/index-AbC123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await fastify.inject({
      method: 'GET',
      url: '/phone/assets/index-AbC123.js',
      headers: { 'if-none-match': `"other", ${String(asset.headers.etag)}` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const head = await fastify.inject({ method: 'HEAD', url: '/phone/' });
    expect(head.statusCode).toBe(200);
  });

  it.each([
    '/phone/../outside-static-site.txt',
    '/phone/%2e%2e/outside-static-site.txt',
    '/phone/assets/../../outside-static-site.txt',
    '/phone/nothing-here.js',
    '/phone/assets/',
  ])('answers %s with a JSON 404, never a file outside the site', async (url) => {
    const response = await fastify.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('never served');
  });

  it('says how to build a site that is missing', async () => {
    const response = await fastify.inject({ method: 'GET', url: '/gone/' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'HTTP_404', message: '/gone is not available: run npm run build' },
    });
  });

  it('treats a folder without index.html as not built', () => {
    expect(loadStaticSite(join(dir, 'assets'))).toBeUndefined();
    expect(loadStaticSite(join(dir, 'missing'))).toBeUndefined();
  });
});
