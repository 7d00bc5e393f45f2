export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: ValidationIssue[];
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ValidationIssue[];
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, opts: { issues?: ValidationIssue[]; retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = opts.issues;
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }

  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.code in errorStatus ? body.code : 'internal', body.message, { issues: body.issues });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AppError' && 'code' in e);
}

/** Internal failures are logged with their cause and answered generically. */
export function normalizeError(e: unknown, where = 'request'): AppError {
  if (isAppError(e)) return e as AppError;
  // The structured logger (lib/observability/logger.ts) when the server loaded it; this module is shared with the
  // browser bundle, so it is reached through globalThis rather than imported.
  const log = (globalThis as { __chattrixLogger?: { error: (o: object, m: string) => void } }).__chattrixLogger;
  if (log) log.error({ err: e, where }, `${where} failed`);
  else console.error(`[chattrix] ${where} failed:`, e);
  return new AppError('internal', 'Something went wrong on our side');
}

/** The error as the contract's JSON answer; `localize` words its message in the asker's language (lib/i18n/api-errors.ts). */
export function toResponse(e: unknown, localize: (body: ErrorBody) => ErrorBody = (b) => b): Response {
  const err = normalizeError(e);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (err.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  // A body cut off before its end may still be arriving: close the connection rather than reuse it.
  if (err.code === 'payload_too_large') headers.connection = 'close';
  return new Response(JSON.stringify({ error: localize(err.toBody()) }), { status: err.status, headers });
}

export type AckError = { ok: false; error: ErrorBody };

export function toAck(e: unknown, localize: (body: ErrorBody) => ErrorBody = (b) => b): AckError {
  return { ok: false, error: localize(normalizeError(e, 'socket event').toBody()) };
}
