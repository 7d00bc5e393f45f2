import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { adminGetSettings, adminUpdateSettings, requireAdmin } from '@/lib/services/admin';
import { updateSiteSettingsSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ settings: await adminGetSettings(actor) });
});

export const PATCH = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ settings: await adminUpdateSettings(actor, await readJson(req, updateSiteSettingsSchema)) });
});
