import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { removeAvatar, setAvatar } from '@/lib/services/uploads';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.upload, `user:${actor.id}`);
  const file = await receiveFile(req);
  return json({ user: await setAvatar(actor, file) });
});

export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  return json({ user: await removeAvatar(actor) });
});
