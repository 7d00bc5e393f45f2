import { useTranslations } from 'next-intl';

/** The BOT mark shown after a bot's name wherever a name shows (messages, members, profiles, admin). */
export function BotMark({ bot }: { bot?: boolean | null }) {
  const t = useTranslations('botMark');
  if (!bot) return null;
  return (
    <span className="bot-mark" title={t('title')}>
      {t('label')}
    </span>
  );
}
