import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { deleteBot, getBot, updateBot } from '@/lib/services/bots';
import { updateBotSchema } from '@/lib/validation/bots';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ bot: await getBot(actor, param(params, 'id')) });
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ bot: await updateBot(actor, param(params, 'id'), await readJson(req, updateBotSchema)) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteBot(actor, param(params, 'id'));
  return noContent();
});
