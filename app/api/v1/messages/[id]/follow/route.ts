import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { setFollow } from '@/lib/services/threads';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  await setFollow(actor, param(params, 'id'), true);
  return noContent();
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await setFollow(actor, param(params, 'id'), false);
  return noContent();
});
