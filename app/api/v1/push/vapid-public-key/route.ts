import { json, route } from '@/lib/http';
import { vapidPublicKey } from '@/lib/services/push';

export const dynamic = 'force-dynamic';

export const GET = route(async () => json({ publicKey: vapidPublicKey() }));
