import { route } from '@/lib/http';
import { openApiText } from '@/lib/openapi';

export const dynamic = 'force-dynamic';

export const GET = route(async () => new Response(openApiText(), { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' } }));
