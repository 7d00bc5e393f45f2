/**
 * Slack's message format (what CI, Grafana, Alertmanager and Slack-format relays send to an incoming webhook),
 * turned into Chattrix's markdown:
 *   <https://x|label> → [label](https://x) · <https://x> → https://x · <mailto:a@b|a> → a
 *   <!channel> <!everyone> → @channel · <!here> → @here · <@U123> → @U123 · <#C1|name> → #name
 *   *bold* → **bold** (Slack's single star is bold; _italic_ and `code` are the same in both)
 *   ~strike~ → strike (no strike-through here) · &amp; &lt; &gt; → & < >
 * Code spans and blocks are left as they are.
 */
function convertInline(s: string): string {
  let out = s.replace(/<([^<>\n]{1,2000})>/g, (_m, inner: string) => {
    const [target, label] = splitOnce(inner, '|');
    if (target.startsWith('!')) {
      const name = target.slice(1).split('^')[0]!;
      if (name === 'channel' || name === 'everyone') return '@channel';
      if (name === 'here') return '@here';
      return label ?? name;
    }
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (/^mailto:/i.test(target)) return label ?? target.slice(7);
    if (/^https?:\/\//i.test(target)) return label && label !== target ? `[${label.replace(/[[\]]/g, '')}](${target})` : target;
    return label ?? target;
  });
  out = out.replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![*\w])/g, '$1**$2**');
  out = out.replace(/(^|[^~\w])~(?!\s)([^~\n]+?)(?<!\s)~(?![~\w])/g, '$1$2');
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export function slackToMarkdown(text: string): string {
  // Fenced blocks (odd parts) and inline code spans are kept verbatim.
  return text
    .split(/(```[\s\S]*?```)/)
    .map((part, i) => (i % 2 === 1 ? part : part.split(/(`[^`\n]+`)/).map((p, j) => (j % 2 === 1 ? p : convertInline(p))).join('')))
    .join('');
}
