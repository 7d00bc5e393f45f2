import { requestMeta } from '@/lib/auth/meta';
import { attemptFrom, throttledPasswordCheck } from '@/lib/auth/throttle';
import { AppError, isAppError } from '@/lib/errors';
import { json, readJson, route } from '@/lib/http';
import { createAccessToken } from '@/lib/services/users';
import { createTokenSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

const WRONG_PASSWORD = 'Wrong username or password';

export const POST = route(async (req) => {
  const input = await readJson(req, createTokenSchema);
  // The password is checked under the shared password throttle (lib/auth/throttle.ts): per account and address,
  // known devices exempt. A right password with a missing or wrong 2FA code is a password success (the code has
  // its own throttle) whose refusal is answered as it is.
  const outcome = await throttledPasswordCheck(attemptFrom(input.username, req.headers), async () => {
    try {
      return { created: await createAccessToken(input, requestMeta(req.headers)) };
    } catch (e) {
      if (isAppError(e) && e.code === 'unauthorized') return e.message === WRONG_PASSWORD ? null : { refused: e };
      throw e;
    }
  });
  if (!outcome) throw new AppError('unauthorized', WRONG_PASSWORD);
  if ('refused' in outcome) throw outcome.refused;
  return json(outcome.created, 201);
});
