import { join } from 'node:path';
import type { StaticSite } from '@pbx/platform';

/**
 * The web phone (apps/web-phone), as `npm run build` leaves it: Vite writes it to
 * dist/apps/web-phone, beside this file's build in dist/services/standalone/src. Run from the
 * sources (tests), the same dist/ build is served.
 */
export function webPhoneSite(): StaticSite {
  const compiled = __filename.endsWith('.js');
  const buildRoot = compiled
    ? join(__dirname, '..', '..', '..')
    : join(__dirname, '..', '..', '..', 'dist');
  return {
    urlPath: '/phone',
    directory: join(buildRoot, 'apps', 'web-phone'),
    missingHint: 'build it with `npm run build`',
  };
}
