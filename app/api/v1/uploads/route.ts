import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { effectiveUploadBytes, getSiteSettings } from '@/lib/services/settings';
import { createUpload } from '@/lib/services/uploads';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.upload, `user:${actor.id}`);
  // The limit the admin set (never above MAX_UPLOAD_BYTES).
  const file = await receiveFile(req, effectiveUploadBytes(await getSiteSettings()));
  return json({ attachment: await createUpload(actor, file) }, 201);
});
