import { readFile, rm } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import * as eq from '../../db/queries/emoji';
import type { CustomEmoji } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { getIo } from '../realtime/io';
import { removeFiles, storage } from '../storage';
import type { ReceivedFile } from '../uploads/multipart';
import { emojiNameSchema, type CustomEmojiDto } from '../validation/compose';
import { iso } from '../validation/dto';
import { getSiteSettings } from './settings';
import { MAX_PIXELS } from './uploads';

/**
 * Custom emoji: a name (`:party-parrot:`) and a small image (PNG, GIF or WebP, ≤ 256 KB, checked by content,
 * re-encoded at most 128 px with its animation kept). Used as `:name:` in messages and reactions; deleting one
 * leaves its uses as plain `:name:` text.
 */
export const MAX_EMOJI_BYTES = 256 * 1024;
const EMOJI_PX = 128;
const KINDS: Record<string, string> = { png: 'image/png', gif: 'image/gif', webp: 'image/webp' };
export const CUSTOM_EMOJI_RE = /^:([a-z0-9][a-z0-9_-]{1,31}):$/;

export function toEmojiDto(e: CustomEmoji): CustomEmojiDto {
  return { name: e.name, url: `/api/v1/emoji/${e.name}/image?v=${e.id}`, createdBy: e.createdBy, createdAt: iso(e.createdAt)! };
}

export async function listEmoji(): Promise<CustomEmojiDto[]> {
  return (await eq.listCustomEmoji()).map(toEmojiDto);
}

async function mayAdd(actor: Actor): Promise<boolean> {
  return actor.isAdmin || (await getSiteSettings()).customEmoji === 'everyone';
}

function broadcast(payload: { emoji?: CustomEmojiDto; deleted?: string }): void {
  getIo()?.emit('emoji:updated', payload);
}

export async function createEmoji(actor: Actor, rawName: string | undefined, file: ReceivedFile): Promise<CustomEmojiDto> {
  try {
    if (!(await mayAdd(actor))) throw new AppError('forbidden', 'Only admins can add emoji on this site');
    const parsed = emojiNameSchema.safeParse((rawName ?? '').replace(/^:|:$/g, '').toLowerCase());
    if (!parsed.success) throw new AppError('bad_request', 'A name is 2–32 lowercase letters, digits, - or _', { issues: [{ path: ['name'], message: 'Invalid name' }] });
    const name = parsed.data;
    if (file.size > MAX_EMOJI_BYTES) throw new AppError('payload_too_large', 'An emoji image is 256 KB at most');
    const detected = await fileTypeFromFile(file.tmpPath);
    const mime = detected ? KINDS[detected.ext] : undefined;
    if (!detected || !mime) throw new AppError('unsupported_media_type', 'An emoji is a PNG, GIF or WebP image');
    if (await eq.getCustomEmoji({ name })) throw new AppError('conflict', `:${name}: exists already`);
    let data: Buffer;
    try {
      const input = await readFile(file.tmpPath);
      const animated = detected.ext !== 'png';
      const img = sharp(input, { limitInputPixels: MAX_PIXELS, animated }).resize(EMOJI_PX, EMOJI_PX, { fit: 'inside', withoutEnlargement: true });
      data = detected.ext === 'png' ? await img.png().toBuffer() : detected.ext === 'gif' ? await img.gif().toBuffer() : await img.webp({ quality: 90 }).toBuffer();
    } catch {
      throw new AppError('unsupported_media_type', 'The image could not be read');
    }
    const key = `em-${newId()}`;
    await storage().write(key, data);
    const row = await eq.insertCustomEmoji({ row: { id: newId(), name, storageKey: key, mimeType: mime, createdBy: actor.id } });
    if (!row) {
      await removeFiles([key]);
      throw new AppError('conflict', `:${name}: exists already`);
    }
    const dto = toEmojiDto(row);
    broadcast({ emoji: dto });
    return dto;
  } finally {
    await rm(file.tmpPath, { force: true });
  }
}

/** Admins, or whoever added it. Its uses stay as `:name:` text. */
export async function deleteEmoji(actor: Actor, name: string): Promise<void> {
  const row = await eq.getCustomEmoji({ name });
  if (!row) throw new AppError('not_found', 'No such emoji');
  if (!actor.isAdmin && row.createdBy !== actor.id) throw new AppError('forbidden', 'Only admins or whoever added it can delete an emoji');
  const gone = await eq.deleteCustomEmoji({ name });
  if (!gone) return;
  await removeFiles([gone.storageKey]);
  broadcast({ deleted: name });
}

export async function readEmojiImage(name: string) {
  const row = await eq.getCustomEmoji({ name });
  const data = row ? await storage().read(row.storageKey) : null;
  if (!row || !data) throw new AppError('not_found', 'No such emoji');
  return { data, mimeType: row.mimeType };
}

/** A reaction `:name:` must name an existing custom emoji. */
export async function assertReactionEmoji(emoji: string): Promise<void> {
  const m = CUSTOM_EMOJI_RE.exec(emoji);
  if (m && !(await eq.getCustomEmoji({ name: m[1]! }))) {
    throw new AppError('bad_request', `:${m[1]}: is not an emoji here`, { issues: [{ path: ['emoji'], message: 'Unknown custom emoji' }] });
  }
}
