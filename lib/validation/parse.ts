import type { z } from 'zod';
import { AppError } from '../errors';
import { zodIssues } from './zod';

/**
 * PostgreSQL text cannot hold U+0000: a NUL anywhere in the input would fail in the database (a 500). Refuse it at
 * the edge, with the path of the first offending string or key.
 */
function findNul(root: unknown): (string | number)[] | undefined {
  // Iterative, with paths kept as parent links: 20,000 nested arrays must neither overflow the stack nor copy paths.
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pathOf = (n: Node | undefined, last?: string): (string | number)[] => {
    const out: (string | number)[] = last === undefined ? [] : [last];
    for (let at = n; at && at.key !== undefined; at = at.parent) out.unshift(at.key);
    return out;
  };
  const stack: Node[] = [{ value: root }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\0')) return pathOf(node);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\0')) return pathOf(node, k);
        stack.push({ value: v, key: k, parent: node });
      }
    }
  }
  return undefined;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'Request body'): z.infer<S> {
  const nul = findNul(value);
  if (nul) {
    throw new AppError('bad_request', `${what} is invalid`, {
      issues: [{ path: nul, message: 'Must not contain NUL characters', code: 'invalid_format' }],
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('bad_request', `${what} is invalid`, { issues: zodIssues(result.error) });
  return result.data;
}
