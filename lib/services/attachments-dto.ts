import { getAttachmentsByIds } from '../../db/queries/attachments';
import type { Attachment } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import type { AttachmentDto } from '../validation/dto';

export function attachmentDto(a: Attachment): AttachmentDto {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    mimeType: a.mimeType,
    url: `/api/v1/uploads/${a.id}`,
    ...(a.thumbnailKey ? { thumbnailUrl: `/api/v1/uploads/${a.id}/thumbnail` } : {}),
    width: a.width,
    height: a.height,
  };
}

/** Attachments may go on a message only by their uploader, once. */
export async function assertAttachable(actor: Actor, ids: string[]): Promise<void> {
  const rows = await getAttachmentsByIds({ ids });
  const ok = rows.filter((a) => a.uploaderId === actor.id && a.messageId === null);
  if (ok.length !== ids.length) {
    throw new AppError('bad_request', 'Unknown or already used attachment', { issues: [{ path: ['attachmentIds'], message: 'Unknown or already used attachment' }] });
  }
}
