import { createReadStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import * as aq from '../../db/queries/attachments';
import { getUserById, updateUser } from '../../db/queries/users';
import type { Attachment } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { removeFiles, storage } from '../storage';
import type { ReceivedFile } from '../uploads/multipart';
import { type AttachmentDto } from '../validation/dto';
import { attachmentDto } from './attachments-dto';
import { announceProfile, toMe } from './users';

/** What may be shared: the type comes from the content, and the extension must agree with it. */
export const ALLOWED: Record<string, { mime: string; exts: string[]; image?: true }> = {
  jpg: { mime: 'image/jpeg', exts: ['jpg', 'jpeg'], image: true },
  png: { mime: 'image/png', exts: ['png'], image: true },
  gif: { mime: 'image/gif', exts: ['gif'], image: true },
  webp: { mime: 'image/webp', exts: ['webp'], image: true },
  pdf: { mime: 'application/pdf', exts: ['pdf'] },
  cfb: { mime: 'application/msword', exts: ['doc'] },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', exts: ['docx'] },
  zip: { mime: 'application/zip', exts: ['zip'] },
  rar: { mime: 'application/vnd.rar', exts: ['rar'] },
  '7z': { mime: 'application/x-7z-compressed', exts: ['7z'] },
  txt: { mime: 'text/plain; charset=utf-8', exts: ['txt'] },
};

/** Decoding more pixels than this is refused (a "pixel flood": a tiny file that decodes to gigabytes). */
export const MAX_PIXELS = 40_000_000;
const THUMB_PX = 320;
const AVATAR_PX = 256;

function extOf(name: string): string {
  return path.extname(name).slice(1).toLowerCase();
}

export const MAX_NAME_LENGTH = 200;

/**
 * A file name safe to show and to put in Content-Disposition. Cut to 200 characters (whole code points) keeping
 * its extension, the one that was checked against the content: `'A'×195 + '.html.txt'` stays a `.txt`. Bidi
 * controls go too (`evil\u202etxt.exe` would read as `evilexe.txt`).
 */
export function cleanName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  // Control characters and the like are not part of a name.
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, '_').trim() || 'file';
  const chars = [...cleaned];
  if (chars.length <= MAX_NAME_LENGTH) return cleaned;
  const ext = path.extname(cleaned);
  const extChars = ext.length > 1 && ext.length <= 16 ? [...ext] : [];
  return chars.slice(0, MAX_NAME_LENGTH - extChars.length).join('') + extChars.join('');
}

async function looksLikeText(file: string, size: number): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 64 * 1024));
    await fh.read(buf, 0, buf.length, 0);
    if (buf.includes(0)) return false;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(size > buf.length ? buf.subarray(0, buf.length - 4) : buf);
      return true;
    } catch {
      return false;
    }
  } finally {
    await fh.close();
  }
}

/** Decides the kind of a received file from its bytes; refuses what is not allowed or does not match its name. */
export async function detectKind(file: ReceivedFile): Promise<string> {
  if (file.size === 0) throw new AppError('bad_request', 'The file is empty');
  const ext = extOf(file.filename);
  const detected = await fileTypeFromFile(file.tmpPath);
  let kind: string | undefined;
  if (detected) kind = detected.ext === 'jpg' ? 'jpg' : detected.ext;
  else if (ext === 'txt' && (await looksLikeText(file.tmpPath, file.size))) kind = 'txt';
  const allowed = kind ? ALLOWED[kind] : undefined;
  if (!kind || !allowed) {
    throw new AppError('unsupported_media_type', 'This type of file is not allowed. Share images (JPG, PNG, GIF, WebP), PDF, DOC, DOCX, TXT, ZIP, RAR or 7Z.');
  }
  if (!allowed.exts.includes(ext)) {
    throw new AppError('unsupported_media_type', `The file's content is ${kind.toUpperCase()}, but its name ends in .${ext || '(nothing)'}`);
  }
  return kind;
}

async function processImage(file: ReceivedFile, kind: string): Promise<{ data: Buffer; thumb: Buffer; width: number; height: number }> {
  try {
    const input = await readFile(file.tmpPath);
    const meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
    if (!meta.width || !meta.height || meta.width * meta.height > MAX_PIXELS) throw new AppError('payload_too_large', 'The image has too many pixels');
    const animated = kind === 'gif' || kind === 'webp';
    // Re-encoding drops every piece of metadata (EXIF GPS included); rotate() applies the EXIF orientation first.
    const base = sharp(input, { limitInputPixels: MAX_PIXELS, animated }).rotate();
    const data =
      kind === 'jpg'
        ? await base.jpeg({ quality: 88, mozjpeg: true }).toBuffer()
        : kind === 'png'
          ? await base.png().toBuffer()
          : kind === 'gif'
            ? await base.gif().toBuffer()
            : await base.webp({ quality: 88 }).toBuffer();
    const thumb = await sharp(input, { limitInputPixels: MAX_PIXELS }).rotate().resize(THUMB_PX, THUMB_PX, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    const rotated = (meta.orientation ?? 1) >= 5;
    return { data, thumb, width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height };
  } catch (e) {
    if (e instanceof AppError) throw e;
    const msg = (e as Error).message ?? '';
    if (/pixel limit/i.test(msg)) throw new AppError('payload_too_large', 'The image has too many pixels');
    throw new AppError('unsupported_media_type', 'The image could not be read');
  }
}

/** Stores an upload for a message to come: checked by content, images re-encoded with a thumbnail. */
export async function createUpload(actor: Actor, file: ReceivedFile): Promise<AttachmentDto> {
  const written: string[] = [];
  try {
    const kind = await detectKind(file);
    const spec = ALLOWED[kind]!;
    const id = newId();
    const key = `${id}.bin`;
    let size = file.size;
    let thumbnailKey: string | null = null;
    let width: number | null = null;
    let height: number | null = null;
    if (spec.image) {
      const img = await processImage(file, kind);
      await storage().write(key, img.data);
      written.push(key);
      thumbnailKey = `${id}.thumb`;
      await storage().write(thumbnailKey, img.thumb);
      written.push(thumbnailKey);
      size = img.data.length;
      width = img.width;
      height = img.height;
    } else {
      await storage().write(key, createReadStream(file.tmpPath));
      written.push(key);
    }
    const row = await aq.insertAttachment({
      attachment: { id, uploaderId: actor.id, name: cleanName(file.filename), size, mimeType: spec.mime, storageKey: key, thumbnailKey, width, height },
    });
    return attachmentDto(row);
  } catch (e) {
    await removeFiles(written);
    throw e;
  } finally {
    await rm(file.tmpPath, { force: true });
  }
}

export async function readAttachment(actor: Actor, id: string, variant: 'file' | 'thumbnail') {
  const a = await aq.getReadableAttachment({ id, userId: actor.id });
  const key = a ? (variant === 'file' ? a.storageKey : a.thumbnailKey) : null;
  if (!a || !key) throw new AppError('not_found', 'No such file');
  const data = await storage().read(key);
  if (!data) throw new AppError('not_found', 'No such file');
  return { attachment: a, ...data, mimeType: variant === 'file' ? a.mimeType : 'image/webp' };
}

export function isImage(a: Pick<Attachment, 'mimeType'>): boolean {
  return a.mimeType.startsWith('image/');
}

/** Your avatar: any allowed image, resized to 256 px WebP; the old one is removed. */
export async function setAvatar(actor: Actor, file: ReceivedFile) {
  try {
    const kind = await detectKind(file);
    if (!ALLOWED[kind]?.image) throw new AppError('unsupported_media_type', 'An avatar must be a JPG, PNG, GIF or WebP image');
    let data: Buffer;
    try {
      data = await sharp(await readFile(file.tmpPath), { limitInputPixels: MAX_PIXELS })
        .rotate()
        .resize(AVATAR_PX, AVATAR_PX, { fit: 'cover' })
        .webp({ quality: 85 })
        .toBuffer();
    } catch (e) {
      if (/pixel limit/i.test((e as Error).message ?? '')) throw new AppError('payload_too_large', 'The image has too many pixels');
      throw new AppError('unsupported_media_type', 'The image could not be read');
    }
    const key = `avatar-${newId()}.webp`;
    await storage().write(key, data);
    const before = await getUserById({ id: actor.id });
    const user = await updateUser({ id: actor.id, patch: { avatarKey: key } });
    if (!user) {
      await removeFiles([key]);
      throw new AppError('unauthorized', 'This account no longer exists');
    }
    if (before?.avatarKey) await removeFiles([before.avatarKey]);
    await announceProfile(user);
    return toMe(user, true);
  } finally {
    await rm(file.tmpPath, { force: true });
  }
}

export async function removeAvatar(actor: Actor) {
  const before = await getUserById({ id: actor.id });
  const user = await updateUser({ id: actor.id, patch: { avatarKey: null } });
  if (before?.avatarKey) await removeFiles([before.avatarKey]);
  if (!user) throw new AppError('unauthorized', 'This account no longer exists');
  await announceProfile(user);
  return toMe(user, true);
}

export async function readAvatar(userId: string) {
  const user = await getUserById({ id: userId });
  if (!user?.avatarKey) throw new AppError('not_found', 'No avatar');
  const data = await storage().read(user.avatarKey);
  if (!data) throw new AppError('not_found', 'No avatar');
  return data;
}
