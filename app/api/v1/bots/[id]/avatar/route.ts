import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { getBot, requireOwnedBot } from '@/lib/services/bots';
import { setAvatar } from '@/lib/services/uploads';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

/** The bot's avatar (its owner or a site admin): an image, resized like a person's. */
export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  const bot = await requireOwnedBot(actor, param(params, 'id'));
  await checkRate(rules.upload, `user:${actor.id}`);
  await setAvatar({ ...actor, id: bot.id }, await receiveFile(req));
  return json({ bot: await getBot(actor, bot.id) });
});
