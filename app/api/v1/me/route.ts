import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { attemptFrom, throttledPasswordCheck } from '@/lib/auth/throttle';
import { AppError, isAppError } from '@/lib/errors';
import { json, noContent, readJson, route } from '@/lib/http';
import { deleteAccount } from '@/lib/services/account';
import { getMe, updateMe } from '@/lib/services/users';
import { deleteMeSchema, updateMeSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ user: await getMe(actor) });
});

export const PATCH = route(async (req) => {
  const actor = await requireUser(req);
  const patch = await readJson(req, updateMeSchema);
  return json({ user: await updateMe(actor, patch) });
});

export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  const { password } = await readJson(req, deleteMeSchema);
  // The password is checked under the shared password throttle (lib/auth/throttle.ts).
  const done = await throttledPasswordCheck(attemptFrom(actor.username, req.headers), async () => {
    try {
      await deleteAccount(actor, password, requestMeta(req.headers));
      return true;
    } catch (e) {
      if (isAppError(e) && e.code === 'forbidden') return null;
      throw e;
    }
  });
  if (!done) throw new AppError('forbidden', 'Wrong password');
  return noContent();
});
