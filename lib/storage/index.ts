import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '../env';

/** Where file bytes live. Keys are random ids, never user-supplied names. */
export interface Storage {
  write(key: string, data: Readable | Buffer): Promise<void>;
  read(key: string): Promise<{ stream: Readable; size: number } | null>;
  remove(key: string): Promise<void>;
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
}

const g = globalThis as unknown as { __chattrixStorage?: Storage };

export function storage(): Storage {
  return (g.__chattrixStorage ??= new LocalStorage(path.resolve(env.DATA_DIR, 'uploads')));
}

/** Deletes files, logging (not throwing) on failure: the database change already happened. */
export async function removeFiles(keys: (string | null | undefined)[]): Promise<void> {
  await Promise.all(
    keys
      .filter((k): k is string => !!k)
      .map((k) => storage().remove(k).catch((e) => console.error('[chattrix] could not remove file', k, e))),
  );
}
