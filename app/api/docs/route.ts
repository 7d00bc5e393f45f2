import { docsResponse } from '@/lib/docs/html';

export const dynamic = 'force-dynamic';

/** The REST reference: the served OpenAPI document rendered by Scalar, whose bundle this app serves itself. */
export function GET(): Response {
  const config = {
    url: '/api/v1/openapi.json',
    // No font CDN, no telemetry, no proxy: the page reaches only this origin (CSP connect-src/font-src 'self').
    withDefaultFonts: false,
    hideClientButton: true,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    authentication: { preferredSecurityScheme: 'bearer' },
  };
  return docsResponse({
    title: 'REST API',
    path: '/api/docs',
    bare: true,
    // Empty: Scalar (Vue) hydrates the element it mounts on, and any content in it is a hydration mismatch.
    body: '<noscript><p style="padding:1rem">The API reference needs JavaScript; the document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></noscript><div id="chattrix-api-reference"></div>',
    // Scalar bundles zod, which probes `Function('')` unless told not to: the CSP (no 'unsafe-eval') reports the probe.
    // The id is not Scalar's legacy `api-reference`, whose text it would read as an inline document.
    headScript: 'globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });',
    scripts: ['/api/docs/scalar.js'],
    inlineScript: `Scalar.createApiReference('#chattrix-api-reference', ${JSON.stringify(config)});`,
  });
}
