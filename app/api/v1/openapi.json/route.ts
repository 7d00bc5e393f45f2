import { json, route } from '@/lib/http';
import { openApiDocument } from '@/lib/openapi';

export const dynamic = 'force-dynamic';

export const GET = route(async () => json(openApiDocument(), 200, { 'cache-control': 'public, max-age=300' }));
