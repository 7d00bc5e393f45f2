import { z } from 'zod';

// In the browser zod must not probe for eval (`Function("")`): the Content-Security-Policy forbids it and the probe
// is reported as a violation. Its interpreted parser is used instead (the server keeps the compiled one).
if (typeof window !== 'undefined') z.config({ jitless: true });

export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'not a valid id');

/** Trimmed text with a length range measured after trimming. */
export const trimmed = (min: number, max: number) => z.string().trim().min(min).max(max);

export const limitParam = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
