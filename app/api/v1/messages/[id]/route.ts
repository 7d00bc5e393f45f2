import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { deleteMessage, editMessage, getMessage } from '@/lib/services/messages';
import { editMessageSchema } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ message: await getMessage(actor, param(params, 'id')) });
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const { body } = await readJson(req, editMessageSchema);
  return json({ message: await editMessage(actor, param(params, 'id'), body) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteMessage(actor, param(params, 'id'));
  return noContent();
});
