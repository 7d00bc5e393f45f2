import fs, { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the database, uploads and secrets: owner-only. The process umask becomes 077 (everything this
 * process creates from here on, the embedded database's files included, is rw for the owner only), the directory
 * is created 0700, and what an older version left readable by others is tightened once at boot (files 0600 unless
 * already stricter, directories 0700). Symbolic links are not followed.
 *
 * The embedded database (PGlite's Emscripten file system) creates its files and then chmods them to 0666, which
 * the umask does not touch: chmod of anything under DATA_DIR (and fchmod, which has no path) keeps the owner's bits
 * only, for the whole life of the process.
 */
export function secureDataDir(dataDir: string): void {
  process.umask(0o077);
  const root = path.resolve(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  ownerOnlyChmod(root);
  tighten(root);
}

const g = globalThis as unknown as { __chattrixChmodPatched?: boolean };

function ownerOnlyChmod(root: string): void {
  if (g.__chattrixChmodPatched) return;
  g.__chattrixChmodPatched = true;
  const inside = (p: fs.PathLike) => {
    const abs = path.resolve(String(p));
    return abs === root || abs.startsWith(root + path.sep);
  };
  const mask = (mode: fs.Mode) => (typeof mode === 'number' ? mode & ~0o077 : mode);
  const chmodSyncOrig = fs.chmodSync;
  const fchmodSyncOrig = fs.fchmodSync;
  fs.chmodSync = ((p: fs.PathLike, mode: fs.Mode) => chmodSyncOrig(p, inside(p) ? mask(mode) : mode)) as typeof fs.chmodSync;
  fs.fchmodSync = ((fd: number, mode: fs.Mode) => fchmodSyncOrig(fd, mask(mode))) as typeof fs.fchmodSync;
}

function tighten(p: string): void {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    if ((st.mode & 0o777) !== 0o700) chmodSync(p, 0o700);
    for (const name of readdirSync(p)) tighten(path.join(p, name));
  } else if (st.mode & 0o077) {
    chmodSync(p, st.mode & 0o700);
  }
}
