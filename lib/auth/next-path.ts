import { safeNextPath as sameOriginPath } from '../security/redirect';

/**
 * Where to go after signing in: only a path on this site (`/c/123?m=4`). Anything that could leave the origin —
 * `//evil.example`, `/\evil.example`, `/%09/evil.example`, `https://…`, control characters — falls back to `/`
 * (lib/security/redirect.ts), and so do the sign-in and registration pages themselves.
 */
export function safeNextPath(next: string | null | undefined): string {
  const path = sameOriginPath(next);
  const pathname = path.split(/[?#]/)[0]!;
  if (pathname.startsWith('/login') || pathname.startsWith('/register')) return '/';
  return path;
}

/** The sign-in page for someone who was sent away from `path`. */
export function loginUrlFor(path: string | null | undefined): string {
  const next = safeNextPath(path);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
