import { publicOrigin } from '@/lib/admin-http';
import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { adminCreateInvitation, adminListInvitations, requireAdmin } from '@/lib/services/admin';
import { createInvitationSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ invitations: await adminListInvitations(actor) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ invitation: await adminCreateInvitation(actor, await readJson(req, createInvitationSchema), publicOrigin(req)) }, 201);
});
