import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '../env';
import { parseS3Url, S3Storage } from './s3';

/** Where file bytes live. Keys are random ids, never user-supplied names. */
export interface Storage {
  write(key: string, data: Readable | Buffer): Promise<void>;
  read(key: string): Promise<{ stream: Readable; size: number } | null>;
  remove(key: string): Promise<void>;
  /** Every stored file (backups). */
  list(): AsyncIterable<{ key: string; size: number }>;
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]{5,127}$/;

class LocalStorage implements Storage {
  constructor(private root: string) {}

  private file(key: string): string {
    if (!KEY_RE.test(key)) throw new Error(`invalid storage key: ${key}`);
    // Spread over 256 folders by a hash of the key (ids start with a timestamp, so their prefix is not spread).
    return path.join(this.root, createHash('sha1').update(key).digest('hex').slice(0, 2), key);
  }

  async write(key: string, data: Readable | Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      await rm(file, { force: true });
      throw e;
    }
  }

  async read(key: string) {
    const file = this.file(key);
    try {
      const s = await stat(file);
      return { stream: createReadStream(file), size: s.size };
    } catch {
      return null;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async *list(): AsyncIterable<{ key: string; size: number }> {
    let dirs: string[];
    try {
      dirs = (await readdir(this.root)).sort();
    } catch {
      return;
    }
    for (const d of dirs) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const key of (await readdir(path.join(this.root, d)).catch(() => [] as string[])).sort()) {
        if (!KEY_RE.test(key)) continue;
        const st = await stat(path.join(this.root, d, key)).catch(() => null);
        if (st?.isFile()) yield { key, size: st.size };
      }
    }
  }
}

/**
 * While a backup copies files, removals wait (a file the database snapshot still references must not vanish
 * before it is copied); they run when the last hold is released.
 */
class HoldingStorage implements Storage {
  private holds = 0;
  private deferred: string[] = [];
  constructor(readonly inner: Storage) {}
  write(key: string, data: Readable | Buffer) {
    return this.inner.write(key, data);
  }
  read(key: string) {
    return this.inner.read(key);
  }
  list() {
    return this.inner.list();
  }
  async remove(key: string): Promise<void> {
    if (this.holds > 0) {
      this.deferred.push(key);
      return;
    }
    await this.inner.remove(key);
  }
  hold(): () => Promise<void> {
    this.holds++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.holds > 0) return;
      for (const key of this.deferred.splice(0)) await this.inner.remove(key).catch((e) => console.error('[chattrix] could not remove file', key, e));
    };
  }
}

const g = globalThis as unknown as { __chattrixStorage?: HoldingStorage };

/** The local directory (DATA_DIR/uploads), or S3-compatible object storage when STORAGE_URL=s3://… is set. */
export function createStorage(url: string | undefined, dataDir: string): Storage {
  if (url?.startsWith('file:')) return new LocalStorage(path.resolve(url.slice('file:'.length).replace(/^\/\/(?=\/)/, '')));
  if (url?.startsWith('s3://')) return new S3Storage(parseS3Url(url));
  return new LocalStorage(path.resolve(dataDir, 'uploads'));
}

function holding(): HoldingStorage {
  return (g.__chattrixStorage ??= new HoldingStorage(createStorage(env.STORAGE_URL, env.DATA_DIR)));
}

export function storage(): Storage {
  return holding();
}

/** Defers file removals until the returned release is called (see HoldingStorage). */
export function holdRemovals(): () => Promise<void> {
  return holding().hold();
}

/** Deletes files, logging (not throwing) on failure: the database change already happened. */
export async function removeFiles(keys: (string | null | undefined)[]): Promise<void> {
  await Promise.all(
    keys
      .filter((k): k is string => !!k)
      .map((k) => storage().remove(k).catch((e) => console.error('[chattrix] could not remove file', k, e))),
  );
}
