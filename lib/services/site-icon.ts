import { readFile, rm } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import * as aq from '../../db/queries/admin';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { removeFiles, storage } from '../storage';
import type { ReceivedFile } from '../uploads/multipart';
import type { SiteSettings } from '../validation/admin';
import { requireAdmin } from './admin';
import { recordSecurityEvent } from './security-events';
import { getSiteSettings, ICON_SIZES, type IconSize } from './settings';
import { MAX_PIXELS } from './uploads';

/**
 * The site's own icon (Workspace settings): a PNG, JPEG or WebP, checked by content, cut to a square and stored as
 * PNGs at the sizes browsers and home screens ask for. The manifest, the tab's favicon and the Apple touch icon use
 * it; without one, the Chattrix icons in public/icons.
 */
export const MAX_ICON_BYTES = 2 * 1024 * 1024;
const KINDS = new Set(['png', 'jpg', 'webp']);

const keyFor = (iconId: string, size: number) => `site-icon-${iconId}-${size}`;

export async function setSiteIcon(actor: Actor, file: ReceivedFile): Promise<SiteSettings> {
  try {
    requireAdmin(actor);
    if (file.size > MAX_ICON_BYTES) throw new AppError('payload_too_large', 'An icon is 2 MB at most');
    const detected = await fileTypeFromFile(file.tmpPath);
    if (!detected || !KINDS.has(detected.ext)) throw new AppError('unsupported_media_type', 'An icon is a PNG, JPEG or WebP image');
    const iconId = newId();
    let images: Buffer[];
    try {
      const input = await readFile(file.tmpPath);
      images = await Promise.all(ICON_SIZES.map((size) => sharp(input, { limitInputPixels: MAX_PIXELS }).rotate().resize(size, size, { fit: 'cover' }).png().toBuffer()));
    } catch {
      throw new AppError('unsupported_media_type', 'The image could not be read');
    }
    for (const [i, size] of ICON_SIZES.entries()) await storage().write(keyFor(iconId, size), images[i]!);
    const before = (await getSiteSettings()).iconId;
    await aq.upsertSetting({ key: 'iconId', value: JSON.stringify(iconId) });
    if (before) await removeFiles(ICON_SIZES.map((size) => keyFor(before, size)));
    await recordSecurityEvent({ userId: actor.id, type: 'admin_settings_changed', detail: { keys: ['icon'] } });
    return getSiteSettings();
  } finally {
    await rm(file.tmpPath, { force: true });
  }
}

/** Back to the Chattrix icons. */
export async function removeSiteIcon(actor: Actor): Promise<SiteSettings> {
  requireAdmin(actor);
  const before = (await getSiteSettings()).iconId;
  if (before) {
    await aq.upsertSetting({ key: 'iconId', value: 'null' });
    await removeFiles(ICON_SIZES.map((size) => keyFor(before, size)));
    await recordSecurityEvent({ userId: actor.id, type: 'admin_settings_changed', detail: { keys: ['icon'] } });
  }
  return getSiteSettings();
}

/** The stored icon at a size, or null (none set). */
export async function readSiteIcon(size: IconSize) {
  const { iconId } = await getSiteSettings();
  return iconId ? storage().read(keyFor(iconId, size)) : null;
}
