import { AppError } from '@/lib/errors';
import { route } from '@/lib/http';

export const dynamic = 'force-dynamic';

/** `/hooks/{id}` without its secret: the contract's 404, like a wrong secret. */
const notFound = route(async () => {
  throw new AppError('not_found', 'No such webhook');
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
