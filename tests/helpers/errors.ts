import { expect } from 'vitest';
import { errorStatus, type ErrorCode } from '../../lib/errors';
import type { HttpResult } from './api';

/**
 * Asserts the contract's error answer exactly: the status that belongs to `code`, a JSON content type, and a body
 * that is `{error:{code, message, issues?}}` with nothing else; `issues`, when present, a list of {path, message}.
 */
export function expectError(res: HttpResult, code: ErrorCode, opts: { issues?: boolean } = {}): void {
  const context = `${res.status} ${res.text.slice(0, 500)}`;
  expect(res.status, context).toBe(errorStatus[code]);
  expect(res.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  const body = res.body as { error?: Record<string, unknown> };
  expect(typeof body, context).toBe('object');
  expect(Object.keys(body), context).toEqual(['error']);
  const err = body.error!;
  for (const key of Object.keys(err)) expect(['code', 'message', 'issues'], `unexpected key ${key}: ${context}`).toContain(key);
  expect(err.code, context).toBe(code);
  expect(typeof err.message, context).toBe('string');
  expect((err.message as string).length, context).toBeGreaterThan(0);
  if (opts.issues === true) expect(Array.isArray(err.issues), `issues expected: ${context}`).toBe(true);
  if (opts.issues === false) expect(err.issues, context).toBeUndefined();
  if (err.issues !== undefined) {
    expect(Array.isArray(err.issues), context).toBe(true);
    const issues = err.issues as { path: unknown; message: unknown }[];
    expect(issues.length, context).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(Array.isArray(issue.path), context).toBe(true);
      expect(typeof issue.message, context).toBe('string');
    }
  }
}
