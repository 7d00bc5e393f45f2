import { AppError } from '@/lib/errors';
import { param, route } from '@/lib/http';
import { ICON_SIZES, type IconSize } from '@/lib/services/settings';
import { readSiteIcon } from '@/lib/services/site-icon';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

/** The site's own icon at 32, 180, 192 or 512 px (PNG; no sign-in: the manifest and the sign-in page use it). */
export const GET = route(async (_req, params) => {
  const size = Number(param(params, 'size'));
  if (!ICON_SIZES.includes(size as IconSize)) throw new AppError('not_found', `Icons come in ${ICON_SIZES.join(', ')} px`);
  const data = await readSiteIcon(size as IconSize);
  if (!data) throw new AppError('not_found', 'This site has no icon of its own');
  // The URL carries the icon's version (?v=): a new icon is a new URL.
  return fileResponse(data, { mimeType: 'image/png', inline: true, cache: 'public, max-age=31536000, immutable' });
});
