import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { listCommandsForComposer } from '@/lib/services/commands';

export const dynamic = 'force-dynamic';

/** The commands the composer lists as you type `/`: built-ins and the ones admins registered. */
export const GET = route(async (req) => {
  await requireUser(req);
  return json({ commands: await listCommandsForComposer() });
});
