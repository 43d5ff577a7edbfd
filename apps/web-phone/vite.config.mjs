// Builds the web phone into dist/apps/web-phone (npm run build), served by the platform at
// /phone/. `--outDir` on the command line overrides the folder (e.g. a build for tests).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/phone/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web-phone', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One page, one bundle: SIP.js is most of it and changes only with its version.
    chunkSizeWarningLimit: 600,
  },
});
