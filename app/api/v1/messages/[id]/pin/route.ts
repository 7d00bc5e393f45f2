import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { setMessagePinned } from '@/lib/services/messages';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ message: await setMessagePinned(actor, param(params, 'id'), true) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ message: await setMessagePinned(actor, param(params, 'id'), false) });
});
