import { requireUser } from '@/lib/auth/request';
import { Readable } from 'node:stream';
import { route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { exportAccount } from '@/lib/services/account';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.export, `user:${actor.id}`);
  const zip = await exportAccount(actor);
  // Streamed: the ZIP is produced as the client reads it (flat memory); a client that goes away ends it.
  return new Response(Readable.toWeb(zip) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="chattrix-export-${actor.username}.zip"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
