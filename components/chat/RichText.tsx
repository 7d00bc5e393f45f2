import { Fragment, useMemo, type ReactNode } from 'react';
import { useCustomEmoji } from '@/lib/client/compose';
import { parseMarkdown, type Node } from '@/lib/client/markdown';
import type { CustomEmojiDto } from '@/lib/validation/compose';
import { withCustomEmoji } from './compose/CustomEmoji';

function render(nodes: Node[], ctx: { meUsername: string; onMention?: (username: string) => void; emoji: Map<string, CustomEmojiDto> }): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{withCustomEmoji(n.v, ctx.emoji)}</Fragment>;
      case 'br':
        return <br key={i} />;
      case 'b':
        return <strong key={i}>{render(n.c, ctx)}</strong>;
      case 'i':
        return <em key={i}>{render(n.c, ctx)}</em>;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'pre':
        return (
          <pre key={i}>
            <code>{n.v}</code>
          </pre>
        );
      case 'a':
        return (
          <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {n.v}
          </a>
        );
      case 'ul':
        return (
          <ul key={i}>
            {n.items.map((item, j) => (
              <li key={j}>{render(item, ctx)}</li>
            ))}
          </ul>
        );
      case 'ol':
        return (
          <ol key={i} start={n.start}>
            {n.items.map((item, j) => (
              <li key={j}>{render(item, ctx)}</li>
            ))}
          </ol>
        );
      case 'quote':
        return <blockquote key={i}>{render(n.c, ctx)}</blockquote>;
      case 'mention':
        return (
          <span key={i} className={`mention${n.username.toLowerCase() === ctx.meUsername.toLowerCase() ? ' me' : ''}`}>
            @{n.username}
          </span>
        );
    }
  });
}

/** A message body: markdown-lite rendered as React elements (text is always escaped). */
export function RichText({ text, meUsername }: { text: string; meUsername: string }) {
  const list = useCustomEmoji();
  const emoji = useMemo(() => new Map(list.map((e) => [e.name, e])), [list]);
  return <>{render(parseMarkdown(text), { meUsername, emoji })}</>;
}
