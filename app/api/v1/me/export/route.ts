import { requireUser } from '@/lib/auth/request';
import { route } from '@/lib/http';
import { exportAccount } from '@/lib/services/account';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  const zip = await exportAccount(actor);
  return new Response(new Uint8Array(zip), {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="chattrix-export-${actor.username}.zip"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
