/**
 * The developer docs under /api/docs (outside the pages matcher of proxy.ts): small server-rendered HTML pages with
 * their own per-response CSP nonce, the same policy as the app's pages (no CDN, no inline script without the nonce).
 */
import { randomBytes } from 'node:crypto';
import { env } from '../env';
import { contentSecurityPolicy, publicUrlIsHttps } from '../security/headers';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `code` spans for backticked text; everything else escaped. */
export function inlineMd(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const nav = [
  { href: '/api/docs', label: 'REST API' },
  { href: '/api/docs/realtime', label: 'Socket.IO events' },
  { href: '/api/docs/webhooks', label: 'Webhooks and slash commands' },
];

// Scoped to .docs-nav / .docs-main so that the API reference page (Scalar brings its own styles) is left alone.
const css = `
:root{--d-bg:#f6f7fb;--d-fg:#15171c;--d-muted:#555b66;--d-card:#fff;--d-line:#d8dbe3;--d-accent:#3b5bdb}
@media (prefers-color-scheme:dark){:root{--d-bg:#0f1117;--d-fg:#e8eaf0;--d-muted:#a3a9b6;--d-card:#171a22;--d-line:#2b303c;--d-accent:#8ca4ff}}
body{margin:0}
.docs-nav{border-bottom:1px solid var(--d-line);background:var(--d-card);font:15px/1.4 system-ui,sans-serif}
.docs-nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;margin:0 auto;padding:.6rem 1rem;max-width:72rem}
.docs-nav a{color:var(--d-accent)}.docs-nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--d-fg)}
body.docs-text{background:var(--d-bg);color:var(--d-fg);color-scheme:light dark}
.docs-main{max-width:72rem;margin:0 auto;padding:1rem;font:16px/1.55 system-ui,sans-serif}
.docs-main *{box-sizing:border-box}.docs-main a{color:var(--d-accent)}
.docs-main h1{font-size:1.6rem}.docs-main h2{margin-top:2rem;font-size:1.25rem}.docs-main h3{font-size:1.05rem}
.docs-main code,.docs-main pre{font:.9em ui-monospace,monospace}
.docs-main pre{background:var(--d-card);border:1px solid var(--d-line);border-radius:6px;padding:.75rem;overflow-x:auto}
.docs-main .table{overflow-x:auto}.docs-main table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;background:var(--d-card)}
.docs-main th,.docs-main td{border:1px solid var(--d-line);padding:.35rem .55rem;text-align:left;vertical-align:top}.docs-main th{font-weight:600}
.docs-main .muted{color:var(--d-muted)}.docs-main section.event{border-top:1px solid var(--d-line);padding-top:.5rem}
`;

export interface DocsPage {
  title: string;
  path: string;
  /** Trusted HTML (built with escapeHtml). */
  body: string;
  /** Scripts to load from this origin, each with the nonce; and an inline script (with the nonce). */
  scripts?: string[];
  inlineScript?: string;
  /** An inline script run before `scripts` load. */
  headScript?: string;
  /** Full-width content (the API reference renders its own layout). */
  bare?: boolean;
}

export function docsResponse(page: DocsPage): Response {
  const nonce = randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy(nonce, { dev: env.NODE_ENV === 'development', https: publicUrlIsHttps(env.NEXTAUTH_URL) });
  const links = nav
    .map((n) => `<li><a href="${n.href}"${n.href === page.path ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a></li>`)
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Chattrix</title><style>${css}</style>${page.headScript ? `<script nonce="${nonce}">${page.headScript}</script>` : ''}</head>
<body${page.bare ? '' : ' class="docs-text"'}><header class="docs-nav"><nav aria-label="Developer docs"><ul>${links}</ul></nav></header>
${page.bare ? page.body : `<main class="docs-main">${page.body}</main>`}
${(page.scripts ?? []).map((src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`).join('')}
${page.inlineScript ? `<script nonce="${nonce}">${page.inlineScript}</script>` : ''}
</body></html>`;
  return new Response(html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-store' },
  });
}
