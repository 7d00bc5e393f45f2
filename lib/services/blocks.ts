import * as bq from '../../db/queries/blocks';
import { getUserById } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { iso } from '../validation/dto';
import { toUserRef } from './users';

export async function blockUser(actor: Actor, userId: string): Promise<void> {
  if (userId === actor.id) throw new AppError('bad_request', 'You cannot block yourself');
  if (!(await getUserById({ id: userId }))) throw new AppError('not_found', 'No such user');
  await bq.insertBlock({ blockerId: actor.id, blockedId: userId });
}

export async function unblockUser(actor: Actor, userId: string): Promise<void> {
  await bq.deleteBlock({ blockerId: actor.id, blockedId: userId });
}

export async function listBlocks(actor: Actor) {
  const rows = await bq.listBlocked({ blockerId: actor.id });
  return rows.map((r) => ({ user: toUserRef(r.user), blockedAt: iso(r.createdAt)! }));
}
