import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { listSecurityEvents } from '@/lib/services/security-events';

export const dynamic = 'force-dynamic';

/** Your last 50 security events, newest first. */
export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ events: await listSecurityEvents(actor) });
});
