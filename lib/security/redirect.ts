const BASE = 'http://chattrix.invalid';

/**
 * A `next=` target after sign-in: only a path on this site. Anything that a browser could read as another origin
 * is replaced by `/`: `//evil`, `/\evil`, `/\t/evil` (browsers drop tabs and newlines from URLs), `https://evil`,
 * `javascript:…`, and so on. The answer is the normalised path (+ query + fragment) of the parsed URL.
 */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return fallback;
  // One leading slash, then not a slash or backslash; no control characters, whitespace or backslashes anywhere.
  if (!/^\/(?![/\\])/.test(next)) return fallback;
  if (/[\u0000-\u0020\u007f-\u009f\\\u2028\u2029\u00a0\u1680\u2000-\u200f\u202f\u205f\u3000\ufeff]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised form must still be a same-origin path (e.g. `/./` tricks that collapse into `//`).
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}
