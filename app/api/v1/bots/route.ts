import { requireUser } from '@/lib/auth/request';
import { requestMeta } from '@/lib/auth/meta';
import { json, readJson, readQuery, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { createBot, listBots } from '@/lib/services/bots';
import { createBotSchema, listBotsQuery } from '@/lib/validation/bots';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  const { all } = readQuery(req, listBotsQuery);
  return json({ bots: await listBots(actor, { all }) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.conversationChange, `user:${actor.id}`);
  const input = await readJson(req, createBotSchema);
  return json(await createBot(actor, input, requestMeta(req.headers)), 201);
});
