import { json, route } from '@/lib/http';
import { getPublicSite } from '@/lib/services/settings';

export const dynamic = 'force-dynamic';

/** The site's name, registration mode, who may create channels and the upload limit: what any client needs. */
export const GET = route(async () => json({ site: await getPublicSite() }));
