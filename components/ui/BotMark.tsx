/** The BOT mark shown after a bot's name wherever a name shows (messages, members, profiles, admin). */
export function BotMark({ bot }: { bot?: boolean | null }) {
  if (!bot) return null;
  return (
    <span className="bot-mark" title="This account is a bot">
      BOT
    </span>
  );
}
