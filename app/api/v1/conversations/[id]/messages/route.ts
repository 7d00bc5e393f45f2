import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, readQuery, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { listMessages, sendMessage } from '@/lib/services/messages';
import { listMessagesQuery, sendMessageSchema } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  const query = readQuery(req, listMessagesQuery);
  return json(await listMessages(actor, param(params, 'id'), query));
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  await checkRate(rules.send, `user:${actor.id}`);
  const input = await readJson(req, sendMessageSchema);
  const { message, duplicate } = await sendMessage(actor, param(params, 'id'), input);
  return json({ message }, duplicate ? 200 : 201);
});
