import { requireUser } from '@/lib/auth/request';
import { requestMeta } from '@/lib/auth/meta';
import { json, param, readJson, route } from '@/lib/http';
import { createBotToken, listBotTokens } from '@/lib/services/bots';
import { createBotTokenSchema } from '@/lib/validation/bots';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ tokens: await listBotTokens(actor, param(params, 'id')) });
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const id = param(params, 'id');
  const input = await readJson(req, createBotTokenSchema);
  return json(await createBotToken(actor, id, input, requestMeta(req.headers)), 201);
});
