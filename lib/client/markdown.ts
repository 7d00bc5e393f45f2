/**
 * Markdown-lite: **bold**, *italic* / _italic_, `code`, ```code blocks```, http(s) links and @mentions.
 * Produces a tree of plain nodes that React renders as elements with text children: no HTML is ever parsed or
 * produced, and link targets are only http(s) URLs (no javascript:, data:, …).
 */
export type Node =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'b' | 'i'; c: Node[] }
  | { t: 'code'; v: string }
  | { t: 'pre'; v: string }
  | { t: 'a'; href: string; v: string }
  | { t: 'mention'; username: string };

const URL_RE = /^https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]*_]/i;

export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function inline(src: string, depth = 0): Node[] {
  const out: Node[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const rest = src.slice(i);
    if (ch === '\n') {
      flush();
      out.push({ t: 'br' });
      i++;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ t: 'code', v: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (ch === 'h' && (i === 0 || /[\s(]/.test(src[i - 1]!))) {
      const m = URL_RE.exec(rest);
      if (m) {
        const href = safeHref(m[0]);
        if (href) {
          flush();
          out.push({ t: 'a', href, v: m[0] });
          i += m[0].length;
          continue;
        }
      }
    }
    if (ch === '@' && (i === 0 || /[\s(]/.test(src[i - 1]!))) {
      const m = /^@([A-Za-z0-9_.]{3,32})/.exec(rest);
      if (m) {
        const username = m[1]!.replace(/\.+$/, '');
        flush();
        out.push({ t: 'mention', username });
        i += 1 + username.length;
        continue;
      }
    }
    if (depth < 3 && (rest.startsWith('**') || rest.startsWith('__'))) {
      const mark = rest.slice(0, 2);
      const end = src.indexOf(mark, i + 2);
      if (end > i + 2 && !/\s/.test(src[i + 2]!) && !/\s/.test(src[end - 1]!)) {
        flush();
        out.push({ t: 'b', c: inline(src.slice(i + 2, end), depth + 1) });
        i = end + 2;
        continue;
      }
    }
    if (depth < 3 && (ch === '*' || ch === '_') && (i === 0 || !/[\p{L}\p{N}]/u.test(src[i - 1]!))) {
      const end = src.indexOf(ch, i + 1);
      if (end > i + 1 && !/\s/.test(src[i + 1]!) && !/\s/.test(src[end - 1]!) && (end + 1 >= src.length || !/[\p{L}\p{N}]/u.test(src[end + 1]!))) {
        flush();
        out.push({ t: 'i', c: inline(src.slice(i + 1, end), depth + 1) });
        i = end + 1;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

export function parseMarkdown(src: string): Node[] {
  const out: Node[] = [];
  const parts = src.split(/```/);
  // Odd parts are fenced code (when the fence is closed).
  parts.forEach((part, idx) => {
    const fenced = idx % 2 === 1 && idx < parts.length - 1;
    if (fenced) {
      const code = part.replace(/^[a-z0-9+-]*\n/i, '').replace(/\n$/, '');
      out.push({ t: 'pre', v: code });
    } else {
      const text = idx % 2 === 1 ? '```' + part : part;
      const trimmed = idx > 0 && out[out.length - 1]?.t === 'pre' ? text.replace(/^\n/, '') : text;
      out.push(...inline(trimmed));
    }
  });
  return out;
}
