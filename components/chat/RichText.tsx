import { Fragment, type ReactNode } from 'react';
import { parseMarkdown, type Node } from '@/lib/client/markdown';

function render(nodes: Node[], ctx: { meUsername: string; onMention?: (username: string) => void }): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{n.v}</Fragment>;
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
  return <>{render(parseMarkdown(text), { meUsername })}</>;
}
