import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { createUpload } from '@/lib/services/uploads';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.upload, `user:${actor.id}`);
  const file = await receiveFile(req);
  return json({ attachment: await createUpload(actor, file) }, 201);
});
