import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { isImage, readAttachment } from '@/lib/services/uploads';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  const f = await readAttachment(actor, param(params, 'id'), 'file');
  // Images may show inline; everything else only downloads.
  return fileResponse(f, { mimeType: f.mimeType, filename: f.attachment.name, inline: isImage(f.attachment) });
});
