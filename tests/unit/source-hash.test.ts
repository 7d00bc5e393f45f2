import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (npm start's helper), no type declarations
import { sourceHash } from '../../scripts/source-hash.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'chattrix-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the source hash changes with a source file or the lockfile, not with generated files', () => {
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  mkdirSync(path.join(dir, 'public'), { recursive: true });
  writeFileSync(path.join(dir, 'app/page.tsx'), 'export default 1');
  writeFileSync(path.join(dir, 'package-lock.json'), '{}');
  const h0 = (sourceHash as (root: string) => string)(dir);
  expect(h0).toMatch(/^[0-9a-f]{64}$/);
  // The service worker is built from the sources: not one of them.
  writeFileSync(path.join(dir, 'public/sw.js'), 'built');
  expect(sourceHash(dir)).toBe(h0);
  writeFileSync(path.join(dir, 'app/page.tsx'), 'export default 2');
  const h1 = sourceHash(dir);
  expect(h1).not.toBe(h0);
  writeFileSync(path.join(dir, 'package-lock.json'), '{"v":2}');
  expect(sourceHash(dir)).not.toBe(h1);
});
