import { AppError, type ErrorBody } from '../errors';
import type { AttachmentDto } from '../validation/dto';

/** Uploads one file with real progress (XHR upload events) and a way to cancel. */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
): { promise: Promise<AttachmentDto>; cancel: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<AttachmentDto>((resolve, reject) => {
    xhr.open('POST', '/api/v1/uploads');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { attachment?: AttachmentDto; error?: ErrorBody } | null;
      if (xhr.status === 201 && body?.attachment) resolve(body.attachment);
      else reject(AppError.fromBody(body?.error ?? { code: xhr.status === 413 ? 'payload_too_large' : 'internal', message: `Upload failed (${xhr.status})` }));
    };
    xhr.onerror = () => reject(new AppError('internal', 'Network error during upload'));
    xhr.onabort = () => reject(new AppError('bad_request', 'Cancelled'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, cancel: () => xhr.abort() };
}
