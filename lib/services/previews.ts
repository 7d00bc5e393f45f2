import sharp from 'sharp';
import * as mq from '../../db/queries/messages';
import * as pq from '../../db/queries/previews';
import type { LinkPreview } from '../../db/schema';
import type { Actor } from '../auth/actor';
import { env } from '../env';
import { AppError } from '../errors';
import { newId } from '../ids';
import { logger } from '../observability/logger';
import { OutboundError, outboundFetch, type OutboundOptions, type OutboundResponse } from '../outbound';
import { publishToConversation } from '../realtime/publish';
import { storage } from '../storage';
import type { LinkPreviewDto } from '../validation/compose';
import type { MessageDto } from '../validation/dto';
import { getSiteSettings } from './settings';
import { MAX_PIXELS } from './uploads';

/**
 * Link previews: for the first http(s) link of a message the server fetches the page through the outbound guard
 * (5 s, 1 MB, text/html only, redirects followed by calling the guard again, each hop re-checked), reads its
 * Open Graph / Twitter card / <title> / description / image, keeps the result per URL, and fetches the image once,
 * re-encoded (WebP) and served from Chattrix: a reader's browser never contacts the site.
 */
const PAGE_TIMEOUT_MS = 5_000;
const PAGE_MAX_BYTES = 1024 * 1024;
const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const IMAGE_PX = 600;
const MAX_REDIRECTS = 3;
/** A URL's preview is fetched again after this long. */
const FRESH_MS = 24 * 3600_000;

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/i;

/** The first http(s) URL of a message body (trailing punctuation and an unbalanced `)` left out). */
export function firstUrl(body: string): string | null {
  // A link inside code (a block or an inline span) is quoted, not shared: it gets no preview.
  const m = URL_RE.exec(body.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' '));
  if (!m) return null;
  let url = m[0].replace(/[.,;:!?*_~]+$/, '');
  if (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) < (url.match(/\)/g)?.length ?? 0)) url = url.slice(0, -1);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return null;
  }
}

export async function previewsEnabled(): Promise<boolean> {
  if (env.LINK_PREVIEWS === 'off') return false;
  return (await getSiteSettings()).linkPreviews !== false;
}

export function toPreviewDto(p: LinkPreview): LinkPreviewDto {
  return {
    url: p.url,
    title: p.title,
    description: p.description,
    siteName: p.siteName,
    imageUrl: p.imageKey ? `/api/v1/previews/${p.id}/image` : null,
    imageWidth: p.imageWidth,
    imageHeight: p.imageHeight,
  };
}

/** The shown previews of these messages (one query; only for bodies that hold a link). */
export async function loadPreviews(rows: { id: string; body: string; deletedAt: Date | null }[]): Promise<Map<string, LinkPreviewDto>> {
  const ids = rows.filter((r) => !r.deletedAt && /https?:\/\//i.test(r.body)).map((r) => r.id);
  if (ids.length === 0) return new Map();
  return new Map((await pq.listMessagePreviews({ messageIds: ids })).map((r) => [r.messageId, toPreviewDto(r.preview)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Fetching

/** GET through the guard, following up to MAX_REDIRECTS redirects (each one checked again by the guard). */
async function fetchFollowing(url: string, opts: OutboundOptions & { deadline: number }): Promise<{ res: OutboundResponse; url: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const left = opts.deadline - Date.now();
    if (left <= 0) throw new OutboundError('timeout', 'Timed out');
    const res = await outboundFetch(current, { ...opts, timeoutMs: left });
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      if (hop >= MAX_REDIRECTS) throw new OutboundError('network', 'Too many redirects');
      current = new URL(location, current).toString();
      continue;
    }
    return { res, url: current };
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+[0-9]*);/gi, (all, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[name.toLowerCase()] ?? all;
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

const clean = (s: string | undefined, max: number) => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? [...t].slice(0, max).join('') : null;
};

/** Reads what a page says about itself: Open Graph first, then Twitter card, then <title> and description. */
export function parsePage(html: string, pageUrl: string): { title: string | null; description: string | null; siteName: string | null; image: string | null } {
  const head = html.slice(0, PAGE_MAX_BYTES).replace(/<!--[\s\S]*?-->/g, '');
  const meta = new Map<string, string>();
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const a = attrs(m[0]);
    const key = (a.property ?? a.name ?? a.itemprop)?.toLowerCase();
    if (key && a.content !== undefined && !meta.has(key)) meta.set(key, a.content);
  }
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1];
  const pick = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v && v.trim());
  let image: string | null = null;
  const rawImage = pick('og:image:secure_url', 'og:image:url', 'og:image', 'twitter:image', 'twitter:image:src');
  if (rawImage) {
    try {
      const u = new URL(rawImage.trim(), pageUrl);
      if (u.protocol === 'https:' || u.protocol === 'http:') image = u.toString();
    } catch {
      /* not a URL */
    }
  }
  return {
    title: clean(pick('og:title', 'twitter:title') ?? (titleTag ? decodeEntities(titleTag) : undefined), 200),
    description: clean(pick('og:description', 'twitter:description', 'description'), 500),
    siteName: clean(pick('og:site_name', 'application-name'), 100),
    image,
  };
}

/**
 * Fetches an image through the outbound guard (following redirects), re-encodes it as WebP at most `px` square
 * (`cover`: cropped to exactly that square) and stores it under `key`. Null when it is not a readable image.
 */
export async function fetchImage(
  url: string,
  opts: { px: number; fit: 'inside' | 'cover'; key: string } = { px: IMAGE_PX, fit: 'inside', key: `pv-${newId()}` },
): Promise<{ key: string; width: number; height: number } | null> {
  try {
    const { res } = await fetchFollowing(url, { deadline: Date.now() + PAGE_TIMEOUT_MS, maxBytes: IMAGE_MAX_BYTES, headers: { accept: 'image/*' } });
    if (res.status !== 200) return null;
    const input = sharp(res.body, { limitInputPixels: MAX_PIXELS });
    const meta = await input.metadata();
    if (!meta.width || !meta.height || !['jpeg', 'png', 'gif', 'webp', 'avif'].includes(meta.format ?? '')) return null;
    const { data, info } = await sharp(res.body, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize(opts.px, opts.px, { fit: opts.fit, withoutEnlargement: opts.fit === 'inside' })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    await storage().write(opts.key, data);
    return { key: opts.key, width: info.width, height: info.height };
  } catch (e) {
    logger.debug({ err: e }, 'image not fetched');
    return null;
  }
}

/** Fetches and stores a URL's preview (status failed when the page cannot be read). */
export async function fetchPreview(url: string): Promise<LinkPreview> {
  let fields: Omit<typeof import('../../db/schema').linkPreviews.$inferInsert, 'id' | 'url'> = { status: 'failed' };
  try {
    const { res, url: finalUrl } = await fetchFollowing(url, {
      deadline: Date.now() + PAGE_TIMEOUT_MS,
      maxBytes: PAGE_MAX_BYTES,
      headers: { accept: 'text/html', 'user-agent': 'Chattrix link preview' },
    });
    const type = String(res.headers['content-type'] ?? '').toLowerCase();
    if (res.status === 200 && type.startsWith('text/html')) {
      const page = parsePage(res.body.toString('utf8'), finalUrl);
      if (page.title || page.description) {
        const image = page.image ? await fetchImage(page.image) : null;
        fields = {
          status: 'ok',
          title: page.title,
          description: page.description,
          siteName: page.siteName,
          imageKey: image?.key ?? null,
          imageWidth: image?.width ?? null,
          imageHeight: image?.height ?? null,
        };
      }
    }
  } catch (e) {
    logger.info({ url: new URL(url).host, reason: e instanceof OutboundError ? e.code : (e as Error).message }, 'link preview not fetched');
  }
  return pq.upsertPreview({ row: { id: newId(), url, ...fields, fetchedAt: new Date() } });
}

/** After a message is stored: its first link's preview (cached per URL), attached and announced. */
export async function previewMessage(message: MessageDto): Promise<void> {
  if (message.kind !== 'user' || !(await previewsEnabled())) return;
  const url = firstUrl(message.body);
  if (!url) return;
  let preview = await pq.getPreviewByUrl({ url });
  if (!preview || Date.now() - preview.fetchedAt.getTime() > FRESH_MS) preview = await fetchPreview(url);
  if (preview.status !== 'ok') return;
  if (!(await pq.attachPreview({ messageId: message.id, previewId: preview.id }))) return;
  await announce(message.id);
}

async function announce(messageId: string): Promise<void> {
  const row = await mq.getMessageById({ id: messageId });
  if (!row || row.deletedAt) return;
  const { hydrateMessages } = await import('./messages');
  const [dto] = await hydrateMessages([row]);
  publishToConversation(row.conversationId, 'message:updated', { message: dto! });
}

/** Its author removes a message's preview (for everyone). */
export async function removePreview(actor: Actor, messageId: string): Promise<void> {
  const m = await mq.getMessageById({ id: messageId });
  const { requireMembership } = await import('./messages');
  if (!m) throw new AppError('not_found', 'No such message');
  const { member } = await requireMembership(actor, m.conversationId).catch(() => {
    throw new AppError('not_found', 'No such message');
  });
  if (m.seq < member.visibleFromSeq) throw new AppError('not_found', 'No such message');
  if (m.senderId !== actor.id) throw new AppError('forbidden', 'Only its author can remove a preview');
  if (await pq.removeMessagePreview({ messageId })) await announce(messageId);
}

/** A preview's image, to any signed-in person (previews are of public pages; the id is not guessable). */
export async function readPreviewImage(id: string) {
  const p = await pq.getPreviewById({ id });
  if (!p?.imageKey) throw new AppError('not_found', 'No such image');
  const data = await storage().read(p.imageKey);
  if (!data) throw new AppError('not_found', 'No such image');
  return data;
}
