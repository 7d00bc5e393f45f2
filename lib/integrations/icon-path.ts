import { createHash } from 'node:crypto';

/** The name an integration icon's URL is stored under (lib/services/integration-icons.ts). */
export function iconHash(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

/** Where a message shows the icon of this URL: served by Chattrix, never the third party's address. */
export function iconPath(url: string): string {
  return `/api/v1/integration-icons/${iconHash(url)}`;
}
