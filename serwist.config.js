// @ts-check
// Builds the service worker after `next build` (Serwist's configurator mode, which works with Turbopack).
import { serwist } from '@serwist/next/config';

export default serwist({
  swSrc: 'lib/sw/sw.ts',
  swDest: 'public/sw.js',
  // Pages are per user and rendered on demand: the app shell is Next's static assets and public files.
  precachePrerendered: false,
  globIgnores: ['public/icons/source.svg'],
});
