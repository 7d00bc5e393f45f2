/**
 * Markdown-lite: **bold**, *italic* / _italic_, `code`, ```code blocks```, http(s) links and [label](https://…),
 * `\` escapes, @mentions, lists
 * (`- item`, `* item`, `1. item`) and block quotes (`> text`).
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
  | { t: 'mention'; username: string }
  | { t: 'ul' | 'ol'; items: Node[][]; start?: number }
  | { t: 'quote'; c: Node[] };

const BULLET_RE = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED_RE = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE_RE = /^\s{0,3}>\s?(.*)$/;

/** Lines → plain runs (inline markdown, line breaks kept), lists and quotes. Quotes nest up to 3 deep. */
function blocks(src: string, depth = 0): Node[] {
  const out: Node[] = [];
  const lines = src.split('\n');
  let plain: string[] = [];
  const flushPlain = () => {
    if (plain.length) {
      // A blank line right next to a block is the block's own spacing.
      while (plain.length && plain[0] === '' && out.length && out[out.length - 1]!.t !== 'br' && isBlock(out[out.length - 1]!)) plain.shift();
      if (plain.length) out.push(...inline(plain.join('\n')));
    }
    plain = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const quote = depth < 3 ? QUOTE_RE.exec(line) : null;
    const bullet = BULLET_RE.exec(line);
    const ordered = ORDERED_RE.exec(line);
    if (quote) {
      const body: string[] = [];
      while (i < lines.length && QUOTE_RE.test(lines[i]!)) body.push(QUOTE_RE.exec(lines[i]!)![1]!), i++;
      trimTrailingBreak(plain);
      flushPlain();
      out.push({ t: 'quote', c: blocks(body.join('\n'), depth + 1) });
      if (i < lines.length && lines[i] === '') i++;
      continue;
    }
    if (bullet || ordered) {
      const kind = bullet ? 'ul' : 'ol';
      const re = bullet ? BULLET_RE : ORDERED_RE;
      const items: Node[][] = [];
      const start = ordered ? Number(ordered[1]) : undefined;
      while (i < lines.length && re.test(lines[i]!) && !(kind === 'ul' && ORDERED_RE.test(lines[i]!))) {
        const m = re.exec(lines[i]!)!;
        items.push(inline(kind === 'ul' ? m[1]! : m[2]!));
        i++;
      }
      trimTrailingBreak(plain);
      flushPlain();
      out.push(kind === 'ol' && start !== undefined && start !== 1 ? { t: 'ol', items, start } : { t: kind, items });
      if (i < lines.length && lines[i] === '') i++;
      continue;
    }
    plain.push(line);
    i++;
  }
  flushPlain();
  return out;
}

function isBlock(n: Node): boolean {
  return n.t === 'ul' || n.t === 'ol' || n.t === 'quote' || n.t === 'pre';
}

function trimTrailingBreak(plain: string[]) {
  if (plain.length && plain[plain.length - 1] === '') plain.pop();
}

const URL_RE = /^https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]*_]/i;

const BIDI_RE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Link text shows bidirectional controls as visible escapes (`https://example.com/\u202egnp.exe` would otherwise
 * read as `…/exe.png`): each becomes `[U+202E]`.
 */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_RE, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

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
    // A backslash before a markdown character shows that character as it is (`¯\\\_(ツ)\_/¯`).
    if (ch === '\\' && i + 1 < src.length && /[\\`*_~[\]()#>@-]/.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    // [label](https://…): a link with a label (what integrations send; only http(s) targets).
    if (ch === '[') {
      const m = /^\[([^\]\n]{1,300})\]\((https?:\/\/[^\s)]{1,2000})\)/.exec(rest);
      const href = m ? safeHref(m[2]!) : null;
      if (m && href) {
        flush();
        out.push({ t: 'a', href, v: showBidiControls(m[1]!) });
        i += m[0].length;
        continue;
      }
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
          out.push({ t: 'a', href, v: showBidiControls(m[0]) });
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
      out.push(...blocks(trimmed));
    }
  });
  return out;
}
