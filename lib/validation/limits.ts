/**
 * Limits the browser needs too, kept free of zod: a client component that imports one of these does not pull the
 * validation library (about 48 KB compressed) into the chat page's JavaScript.
 */

/** A message body: 1–4000 characters after trimming. */
export const MAX_BODY = 4000;
