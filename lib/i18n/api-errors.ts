import type { ErrorBody } from '../errors';
import de from './api-errors.de.json';
import { LOCALE_COOKIE, pickLocale, type Locale } from './config';

/**
 * The API's error messages in the asker's language: the same cookie or Accept-Language as the web client's pages
 * (lib/i18n/request.ts), so the web client shows refusals in its person's language. A client that sends neither (a
 * bot, curl) gets English. English is the key: `lib/i18n/api-errors.de.json` maps each literal message to its German;
 * `tests/unit/api-errors.test.ts` checks that every literal `new AppError(…)` message has one. A message built at run
 * time (a size, a name) stays English. Validation details (`issues`) stay as zod words them.
 */
const catalogs: Partial<Record<Locale, Record<string, string>>> = { de };

export function localizeMessage(message: string, locale: Locale | undefined): string {
  return (locale && catalogs[locale]?.[message]) || message;
}

export function localizeBody(body: ErrorBody, locale: Locale | undefined): ErrorBody {
  const message = localizeMessage(body.message, locale);
  return message === body.message ? body : { ...body, message };
}

/** The `locale` cookie from a Cookie header. */
function cookieLocale(cookie: string | null | undefined): string | undefined {
  const m = cookie?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`));
  return m?.[1];
}

/** The asker's language from request headers (a Fetch Headers, or Node's incoming headers of a socket's handshake). */
export function localeOfHeaders(headers: Headers | Record<string, string | string[] | undefined>): Locale {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  return pickLocale(cookieLocale(get('cookie')), get('accept-language'));
}

/** A socket acknowledgement with its error (if any) worded in `locale`. */
export function localizeAck<R>(reply: R, locale: Locale): R {
  const r = reply as { ok?: boolean; error?: ErrorBody };
  return r && r.ok === false && r.error ? ({ ...r, error: localizeBody(r.error, locale) } as R) : reply;
}
