import { AppError } from '@/lib/errors';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** Any other path under /api/v1 answers in the contract's error shape. */
const notFound = route(async () => {
  throw new AppError('not_found', 'No such endpoint');
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
