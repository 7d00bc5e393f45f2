import { initDb } from '../../db';
import { getUserById, setPasswordHash } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import type { RequestMeta } from '../auth/meta';
import { hashPassword } from '../auth/password';
import { verifyPasswordThrottled } from '../auth/throttle';
import { AppError } from '../errors';
import { recordSecurityEvent } from './security-events';
import { endOtherSessionsOf } from './sessions';

/** Changes the password after checking the current one; every other session ends (and its sockets close). */
export async function changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }, meta: RequestMeta): Promise<void> {
  await initDb();
  const user = await getUserById({ id: actor.id });
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  // The shared password throttle (lib/auth/throttle.ts).
  if (!(await verifyPasswordThrottled(user.username, meta, user.passwordHash, input.currentPassword))) throw new AppError('forbidden', 'Wrong current password');
  await setPasswordHash({ id: user.id, passwordHash: await hashPassword(input.newPassword) });
  const ended = await endOtherSessionsOf(user.id, actor.sessionId);
  await recordSecurityEvent({ userId: user.id, type: 'password_changed', meta, detail: { sessionsEnded: ended.length } });
}
