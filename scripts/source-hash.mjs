// A hash of everything a build is made from: the app's sources, public files, configs and the lockfile. `npm start`
// compares it with the one stored beside the build (`.next/chattrix-source-hash`) and rebuilds when they differ,
// so a `git pull` (or any edit) is never served from an old build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const DIRS = ['app', 'components', 'lib', 'db', 'public', 'messages', 'i18n'];
const FILES = ['package.json', 'package-lock.json', 'next.config.ts', 'serwist.config.js', 'tsconfig.json', 'proxy.ts', 'middleware.ts', 'postcss.config.mjs'];
const GENERATED = /^public\/(sw\.js(\.map)?|swe-worker.*)$/;
export const HASH_FILE = '.next/chattrix-source-hash';

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile() && !GENERATED.test(p)) out.push(p);
  }
}

export function sourceHash(root = process.cwd()) {
  const files = [];
  const prev = process.cwd();
  process.chdir(root);
  try {
    for (const d of DIRS) if (existsSync(d) && statSync(d).isDirectory()) walk(d, files);
    for (const f of FILES) if (existsSync(f)) files.push(f);
    files.sort();
    const h = createHash('sha256');
    for (const f of files) {
      h.update(f);
      h.update('\0');
      h.update(readFileSync(f));
      h.update('\0');
    }
    return h.digest('hex');
  } finally {
    process.chdir(prev);
  }
}

// `node scripts/source-hash.mjs --write` (after `npm run build`): records what this build was made from.
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href && process.argv.includes('--write')) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(HASH_FILE, `${sourceHash()}\n`);
}
