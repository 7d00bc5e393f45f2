import { pingDb } from '@/db';
import { json } from '@/lib/http';

export const dynamic = 'force-dynamic';

export async function GET() {
  const ok = await pingDb();
  return ok ? json({ status: 'ok' }) : json({ status: 'unavailable' }, 503);
}
