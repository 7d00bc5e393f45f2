import { cache } from 'react';
import * as aq from '../../db/queries/admin';
import { env } from '../env';
import type { PublicSite, SiteSettings } from '../validation/admin';

const MiB = 1024 * 1024;
/** Site settings live in the database (the admin console edits them); the environment gives the defaults. */
const DEFAULTS = (): SiteSettings => ({
  registration: env.REGISTRATION,
  siteName: 'Chattrix',
  linkPreviews: true,
  customEmoji: 'admins',
  channelCreation: 'everyone',
  defaultChannelIds: [],
  maxUploadMB: Math.max(1, Math.floor(env.MAX_UPLOAD_BYTES / MiB)),
  retentionDays: null,
  iconId: null,
});

/** The sizes the site's own icon is stored at (lib/services/site-icon.ts): favicon, Apple touch, manifest. */
export const ICON_SIZES = [32, 180, 192, 512] as const;
export type IconSize = (typeof ICON_SIZES)[number];

/** Where a page or the manifest finds the site's icon at a size (null: no icon of its own, the Chattrix ones). */
export function siteIconUrl(s: Pick<SiteSettings, 'iconId'>, size: IconSize): string | null {
  return s.iconId ? `/api/v1/site/icon/${size}?v=${s.iconId.slice(-8)}` : null;
}

/** The settings in the database, each falling back to the environment's default. */
export async function getSiteSettings(): Promise<SiteSettings> {
  const out = DEFAULTS();
  for (const row of await aq.getSettingRows()) {
    try {
      (out as Record<string, unknown>)[row.key] = JSON.parse(row.value);
    } catch {
      /* ignore a malformed row */
    }
  }
  return out;
}

/**
 * The settings for one page render: the root metadata, the layout and the page share a single read (React's
 * per-request cache). Outside a render (route handlers, sockets) it reads each time, like getSiteSettings.
 */
export const siteSettingsForRender = cache(getSiteSettings);

/**
 * For page metadata and the manifest: the defaults when the database cannot answer (`next build` renders the
 * not-found page with no database).
 */
export async function siteForPages(): Promise<Pick<SiteSettings, 'siteName' | 'iconId'>> {
  try {
    const s = await siteSettingsForRender();
    return { siteName: s.siteName, iconId: s.iconId };
  } catch {
    return { siteName: DEFAULTS().siteName, iconId: null };
  }
}

export async function siteNameForPages(): Promise<string> {
  return (await siteForPages()).siteName;
}

/** The upload limit in force: the admin's setting, never above MAX_UPLOAD_BYTES. */
export function effectiveUploadBytes(s: Pick<SiteSettings, 'maxUploadMB'>): number {
  return Math.min(s.maxUploadMB * MiB, env.MAX_UPLOAD_BYTES);
}

/** The settings a client needs (`GET /api/v1/site`, the chat shell, the sign-in page). */
export async function getPublicSite(): Promise<PublicSite> {
  const s = await siteSettingsForRender();
  return { siteName: s.siteName, registration: s.registration, channelCreation: s.channelCreation, maxUploadBytes: effectiveUploadBytes(s), retentionDays: s.retentionDays, iconUrl: siteIconUrl(s, 192) };
}
