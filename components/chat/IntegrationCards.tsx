import { useTranslations } from 'next-intl';
import type { CardDto } from '@/lib/validation/dto';
import { RichText } from './RichText';

/** Slack-style attachments of a message posted by an integration: a card with a coloured edge, title, text, fields. */
const NAMED: Record<string, string> = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

function edge(color: string | undefined): string | undefined {
  if (!color) return undefined;
  if (NAMED[color]) return NAMED[color];
  return /^#?[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color) ? (color.startsWith('#') ? color : `#${color}`) : undefined;
}

export function IntegrationCards({ cards, meUsername }: { cards: CardDto[]; meUsername: string }) {
  const t = useTranslations('message');
  return (
    <div className="int-cards">
      {cards.map((c, i) => (
        <section key={i} className="int-card" style={{ borderInlineStartColor: edge(c.color) }} aria-label={c.title ?? c.fallback ?? t('attachment')}>
          {c.title &&
            (c.titleLink ? (
              <a className="int-card-title" href={c.titleLink} target="_blank" rel="noopener noreferrer nofollow ugc">
                {c.title}
              </a>
            ) : (
              <strong className="int-card-title">{c.title}</strong>
            ))}
          {c.text ? <RichText text={c.text} meUsername={meUsername} /> : !c.title && c.fallback ? <span>{c.fallback}</span> : null}
          {c.fields && c.fields.length > 0 && (
            <dl className="int-card-fields">
              {c.fields.map((f, j) => (
                <div key={j} className={f.short ? 'short' : undefined}>
                  <dt>{f.title}</dt>
                  <dd>
                    <RichText text={f.value} meUsername={meUsername} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      ))}
    </div>
  );
}
