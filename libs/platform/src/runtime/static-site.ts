import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** A built browser page the platform serves, e.g. the web phone at /phone. */
export interface StaticSite {
  /** Where it is served: `/phone` serves `/phone/` (index.html) and `/phone/assets/...`. */
  readonly urlPath: string;
  /** The build output, index.html at its root. */
  readonly directory: string;
  /** Said in the 404 when the folder is missing, e.g. how to build it. */
  readonly missingHint: string;
}

interface SiteFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A build is a handful of files; anything far bigger is a wrong folder, not a site. */
const MAX_FILES = 500;
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The page may talk only to its own origin and the SIP WebSockets (another port, so `ws:`/`wss:`),
 * run only its own bundled scripts, and never be framed. Media elements play the remote call
 * audio (a MediaStream) and the ringer.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; object-src 'none'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'microphone=(self), camera=(), geolocation=()',
};

class SiteTooLargeError extends Error {}

/**
 * Reads a built site into memory: it is small, and a request then only looks a key up in a
 * map, so no URL can name a file outside the folder. Undefined when the folder is missing.
 */
export function loadStaticSite(directory: string): Map<string, SiteFile> | undefined {
  let entries: string[];
  try {
    entries = readdirSync(directory, { recursive: true, encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const files = new Map<string, SiteFile>();
  let bytes = 0;
  for (const entry of entries) {
    const path = join(directory, entry);
    if (!statSync(path).isFile()) continue;
    if (files.size >= MAX_FILES)
      throw new SiteTooLargeError(`${directory} holds over ${MAX_FILES} files`);
    const body = readFileSync(path);
    bytes += body.length;
    if (bytes > MAX_BYTES)
      throw new SiteTooLargeError(`${directory} holds over ${MAX_BYTES} bytes`);
    const key = relative(directory, path).split(sep).join('/');
    const hashed = key.startsWith('assets/');
    files.set(key, {
      body,
      type: TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      // Vite names assets by their content hash: they never change under one name.
      cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  return files.has('index.html') ? files : undefined;
}

function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.status(404).send({ error: { code: 'HTTP_404', message } });
}

/**
 * Serves each site on the Fastify instance under the Nest application, outside Nest's
 * controllers: `/phone` redirects to `/phone/`, which is index.html; other files by exact path.
 */
export function serveStaticSites(
  fastify: FastifyInstance,
  sites: readonly StaticSite[],
  log: Logger,
): void {
  for (const site of sites) {
    const base = site.urlPath.replace(/\/+$/, '');
    if (!/^\/[a-z0-9-]+$/.test(base)) throw new TypeError(`bad site path ${site.urlPath}`);
    let files: Map<string, SiteFile> | undefined;
    try {
      files = loadStaticSite(site.directory);
    } catch (error) {
      log.error({ err: error, directory: site.directory }, `not serving ${base}`);
    }
    if (files === undefined) {
      log.warn({ directory: site.directory }, `${base} is not built: ${site.missingHint}`);
    } else {
      log.info({ directory: site.directory, files: files.size }, `serving ${base}/`);
    }
    fastify.get(base, (_request, reply) => reply.redirect(`${base}/`, 308));
    fastify.get(`${base}/*`, (request: FastifyRequest, reply: FastifyReply) => {
      if (files === undefined)
        return notFound(reply, `${base} is not available: ${site.missingHint}`);
      const path = (request.params as { '*'?: string })['*'] ?? '';
      const file = files.get(path === '' ? 'index.html' : path);
      if (file === undefined)
        return notFound(reply, `${base}/${path.slice(0, 100)} does not exist`);
      void reply.headers(SECURITY_HEADERS);
      void reply.header('cache-control', file.cacheControl).header('etag', file.etag);
      const known = request.headers['if-none-match']?.split(',').map((tag) => tag.trim());
      if (known?.includes(file.etag)) return reply.status(304).send();
      return reply.type(file.type).send(file.body);
    });
  }
}
