import { AppError, type ErrorBody } from '../errors';
import type { AttachmentDto } from '../validation/dto';

/**
 * POSTs a multipart form with real progress (XHR upload events) and a way to cancel: the fields first (the server
 * reads them as the upload streams in), then the file. Resolves with the JSON answer's `key` member on success (2xx); rejects
 * with the contract's error (AppError) otherwise.
 */
export function uploadMultipart<T>(opts: {
  path: string;
  /** POST by default; PUT where the file replaces one (avatars). */
  method?: 'POST' | 'PUT';
  file: File;
  key: string;
  fields?: Record<string, string>;
  onProgress?: (fraction: number) => void;
}): { promise: Promise<T>; cancel: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open(opts.method ?? 'POST', opts.path);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (Record<string, unknown> & { error?: ErrorBody }) | null;
      const value = body?.[opts.key] as T | undefined;
      if (xhr.status >= 200 && xhr.status < 300 && value) resolve(value);
      else reject(AppError.fromBody(body?.error ?? { code: xhr.status === 413 ? 'payload_too_large' : 'internal', message: `Upload failed (${xhr.status})` }));
    };
    xhr.onerror = () => reject(new AppError('internal', 'Network error during upload'));
    xhr.onabort = () => reject(new AppError('bad_request', 'Cancelled'));
    const form = new FormData();
    for (const [name, value] of Object.entries(opts.fields ?? {})) form.append(name, value);
    form.append('file', opts.file, opts.file.name);
    xhr.send(form);
  });
  return { promise, cancel: () => xhr.abort() };
}

/** Uploads one attachment (before it is sent with a message). */
export function uploadFile(file: File, onProgress: (fraction: number) => void): { promise: Promise<AttachmentDto>; cancel: () => void } {
  return uploadMultipart<AttachmentDto>({ path: '/api/v1/uploads', file, key: 'attachment', onProgress });
}
