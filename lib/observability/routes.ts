import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Turns a raw request path into the route pattern that serves it (`/api/v1/conversations/{id}/messages`), so HTTP
 * metrics have one series per route, never one per id. The patterns come from the App Router's own folders
 * (`app/**\/route.ts` and `page.tsx`; route groups dropped, `[id]` → `{id}`, catch-alls last).
 */
interface Pattern {
  label: string;
  segments: { kind: 'static' | 'param' | 'rest' | 'optionalRest'; value: string }[];
  score: number;
}

function scan(dir: string, prefix: string[], out: Pattern[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  if (entries.some((e) => /^(route|page)\.(ts|tsx|js|jsx)$/.test(e))) out.push(toPattern(prefix));
  for (const e of entries) {
    const full = path.join(dir, e);
    if (e.startsWith('_') || e.startsWith('@') || !statSync(full).isDirectory()) continue;
    scan(full, /^\(.*\)$/.test(e) ? prefix : [...prefix, e], out);
  }
}

function toPattern(parts: string[]): Pattern {
  const segments = parts.map((p) => {
    let m = /^\[\[\.\.\.(.+)\]\]$/.exec(p);
    if (m) return { kind: 'optionalRest' as const, value: m[1]! };
    m = /^\[\.\.\.(.+)\]$/.exec(p);
    if (m) return { kind: 'rest' as const, value: m[1]! };
    m = /^\[(.+)\]$/.exec(p);
    if (m) return { kind: 'param' as const, value: m[1]! };
    return { kind: 'static' as const, value: p };
  });
  const label =
    '/' +
    segments
      .map((s) => (s.kind === 'static' ? s.value : s.kind === 'param' ? `{${s.value}}` : '*'))
      .join('/');
  // More static segments first, catch-alls last.
  const score = segments.reduce((n, s) => n + (s.kind === 'static' ? 100 : s.kind === 'param' ? 10 : 0), 0) + segments.length;
  return { label: label === '/' ? '/' : label.replace(/\/$/, ''), segments, score };
}

function matches(p: Pattern, parts: string[]): boolean {
  for (let i = 0; i < p.segments.length; i++) {
    const s = p.segments[i]!;
    if (s.kind === 'rest') return parts.length > i;
    if (s.kind === 'optionalRest') return true;
    const part = parts[i];
    if (part === undefined) return false;
    if (s.kind === 'static' && s.value !== part) return false;
  }
  return parts.length === p.segments.length;
}

const g = globalThis as unknown as { __chattrixRoutes?: Pattern[] };

function patterns(): Pattern[] {
  if (!g.__chattrixRoutes) {
    const out: Pattern[] = [];
    scan(path.join(process.cwd(), 'app'), [], out);
    out.sort((a, b) => b.score - a.score);
    g.__chattrixRoutes = out;
  }
  return g.__chattrixRoutes;
}

const FIXED: Record<string, string> = { '/readyz': '/readyz', '/metrics': '/metrics' };

/** The route label for a request URL (`/_next/*` for Next's assets, `unmatched` for anything else). */
export function routeLabel(url: string | undefined): string {
  const pathname = (url ?? '/').split('?')[0]!.split('#')[0]!;
  if (FIXED[pathname]) return FIXED[pathname];
  if (pathname.startsWith('/_next/')) return '/_next/*';
  const parts = pathname.split('/').filter(Boolean);
  for (const p of patterns()) if (matches(p, parts)) return p.label;
  if (parts.length === 1 && /\.[a-z0-9]+$/i.test(parts[0]!)) return '/{static file}';
  return 'unmatched';
}
