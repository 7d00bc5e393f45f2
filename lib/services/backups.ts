import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { dbDriver, getDb } from '../../db';
import { env } from '../env';
import { AppError } from '../errors';
import { metrics } from '../observability/metrics';
import { createStorage, holdRemovals, storage, type Storage } from '../storage';
import { readTar, TarWriter } from '../tar';

/**
 * Backups: one .tar.gz with a consistent snapshot of the database and every stored file.
 *
 *   manifest.json            {format, version, createdAt, database: "pglite" | "postgres"}
 *   database/pglite.tar      PGlite's own dump of its data directory (pg.dumpDataDir), or
 *   database/postgres.dump   pg_dump --format=custom
 *   uploads/<key>            every file in storage (local directory or S3)
 *   secrets.json             DATA_DIR/secrets.json (AUTH_SECRET, VAPID keys) when it exists
 *   checksums.json           sha256 of every file above
 *
 * Consistency: file removals are held from before the database snapshot until the last file is copied, so every
 * file the snapshot references is in the archive. The embedded database is one process (PGlite): a running server
 * holds it, so the backup is taken BY the server: `npm run backup` asks it over a Unix socket in DATA_DIR
 * (`control.sock`, mode 0600: whoever may read DATA_DIR may back it up) and the server streams the archive back. With
 * no server running the command opens the database itself.
 */
export const BACKUP_FORMAT = 'chattrix-backup';

interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  database: 'pglite' | 'postgres';
}

interface PgliteLike {
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
  transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T>;
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...opts.env } });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.once('error', (e) => reject(new Error(`${cmd} could not start (${e.message}); is it installed?`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${err.trim().slice(0, 2000)}`))));
  });
}

/** Which pg_dump / pg_restore: PG_BIN_DIR when set, else PATH (Debian: /usr/bin). */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  return process.env.PG_BIN_DIR ? path.join(process.env.PG_BIN_DIR, name) : name;
}

/** Writes a backup archive (gzip) to `out`. Resolves when the archive is complete. */
export async function writeBackup(out: Writable): Promise<{ files: number; bytes: number }> {
  const driver = dbDriver();
  if (!driver) throw new Error('database not initialised');
  const gzip = createGzip({ level: 6 });
  let bytes = 0;
  gzip.on('data', (c: Buffer) => (bytes += c.length));
  const done = pipeline(gzip, out);
  const tar = new TarWriter(gzip);
  const sums: Record<string, string> = {};
  const add = async (name: string, size: number, data: Buffer | AsyncIterable<Buffer | Uint8Array>) => {
    const hash = createHash('sha256');
    async function* hashed(): AsyncGenerator<Buffer> {
      for await (const c of Buffer.isBuffer(data) ? [data] : data) {
        const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
        hash.update(b);
        yield b;
      }
    }
    await tar.add(name, size, hashed());
    sums[name] = hash.digest('hex');
  };

  const release = holdRemovals(); // before the snapshot: nothing it references may vanish until copied
  let tmp: string | undefined;
  let files = 0;
  try {
    const manifest: Manifest = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), database: driver };
    await add('manifest.json', Buffer.byteLength(JSON.stringify(manifest)), Buffer.from(JSON.stringify(manifest)));

    if (driver === 'pglite') {
      const pg = (getDb() as unknown as { $client: PgliteLike }).$client;
      // Inside a transaction of our own: no other transaction can be open, and dumpDataDir holds the query lock,
      // so the copy is one instant of a quiet database.
      const blob = await pg.transaction(() => pg.dumpDataDir('none'));
      const data = Buffer.from(await blob.arrayBuffer());
      await add('database/pglite.tar', data.length, data);
    } else {
      if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
      tmp = await mkdtemp(path.join(tmpdir(), 'chattrix-backup-'));
      const file = path.join(tmp, 'postgres.dump');
      // One transaction (a consistent snapshot) taken while the server keeps writing.
      await run(pgTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', '--file', file, '--dbname', env.DATABASE_URL]);
      const size = (await stat(file)).size;
      await add('database/postgres.dump', size, createReadStream(file));
    }

    const store = storage();
    for await (const { key } of store.list()) {
      const f = await store.read(key);
      if (!f) continue; // removed before the hold (not referenced by the snapshot)
      await add(`uploads/${key}`, f.size, f.stream as AsyncIterable<Buffer>);
      files++;
    }

    const secretsFile = path.resolve(env.DATA_DIR, 'secrets.json');
    if (existsSync(secretsFile)) {
      const data = await readFile(secretsFile);
      await add('secrets.json', data.length, data);
    }
    const checksums = Buffer.from(JSON.stringify(sums, null, 1));
    await tar.add('checksums.json', checksums.length, checksums);
    await tar.finish();
    await done;
    return { files, bytes };
  } catch (e) {
    gzip.destroy(e as Error);
    await done.catch(() => {});
    throw e;
  } finally {
    await release();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

/** Writes a backup to a file (written beside it, then renamed: a file with the name is always complete). */
export async function backupToFile(file: string): Promise<{ files: number; bytes: number }> {
  const target = path.resolve(file);
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    const result = await writeBackup(createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, target);
    metrics().backups.inc({ outcome: 'ok' });
    return result;
  } catch (e) {
    await rm(partial, { force: true });
    metrics().backups.inc({ outcome: 'failed' });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The control socket: how `npm run backup` reaches the server that holds the database.

/** DATA_DIR/control.sock, or a short path in the temp folder when that one is too long for a Unix socket. */
export function controlSocketPath(dataDir = env.DATA_DIR): string {
  const abs = path.resolve(dataDir);
  const p = path.join(abs, 'control.sock');
  if (Buffer.byteLength(p) < 100) return p;
  return path.join(tmpdir(), `chattrix-${createHash('sha1').update(abs).digest('hex').slice(0, 16)}.sock`);
}

/** Listens on the control socket (POST /backup streams an archive). Returns a closer. */
export async function startControlSocket(): Promise<() => Promise<void>> {
  const socketPath = controlSocketPath();
  await mkdir(path.dirname(socketPath), { recursive: true });
  await unlink(socketPath).catch(() => {}); // left by a crash
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/backup') {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      writeBackup(res)
        .then(() => metrics().backups.inc({ outcome: 'ok' }))
        .catch((e) => {
          metrics().backups.inc({ outcome: 'failed' });
          console.error('[chattrix] backup failed:', e);
          res.destroy(e as Error);
        });
      return;
    }
    if (req.method === 'GET' && req.url === '/ping') {
      res.end('chattrix');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await unlink(socketPath).catch(() => {});
  };
}

/** True when a server answers on the control socket of DATA_DIR. */
export function serverIsRunning(dataDir = env.DATA_DIR): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ socketPath: controlSocketPath(dataDir), path: '/ping', method: 'GET', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/** Asks the running server for a backup and writes it to `file`. */
export function backupThroughServer(file: string, dataDir = env.DATA_DIR): Promise<void> {
  const target = path.resolve(file);
  const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest({ socketPath: controlSocketPath(dataDir), path: '/backup', method: 'POST' }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`the server answered ${res.statusCode}`));
      }
      pipeline(res, createWriteStream(partial, { mode: 0o600 }))
        .then(() => (res.complete ? rename(partial, target) : Promise.reject(new Error('the server stopped mid-backup (see its log)'))))
        .then(resolve, reject);
    });
    req.on('error', reject);
    req.end();
  }).catch(async (e) => {
    await rm(partial, { force: true });
    throw e;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduled backups (BACKUP_SCHEDULE, BACKUP_KEEP)

export const BACKUP_NAME = /^chattrix-\d{8}T\d{6}Z(-\d+)?\.tar\.gz$/;

export function backupsDir(): string {
  return path.resolve(env.DATA_DIR, 'backups');
}

export async function listBackups(): Promise<{ name: string; size: number; createdAt: string }[]> {
  const dir = backupsDir();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => BACKUP_NAME.test(n)).sort();
  const out = [];
  for (const name of names) {
    const s = await stat(path.join(dir, name)).catch(() => null);
    if (s) out.push({ name, size: s.size, createdAt: s.mtime.toISOString() });
  }
  return out;
}

/** True while this process takes a backup into DATA_DIR/backups (one at a time: a second would only slow the first). */
let backupRunning = false;

/** Takes a backup into DATA_DIR/backups and keeps the newest BACKUP_KEEP. While one is being taken, 409 `conflict`. */
export async function takeBackupIntoDataDir(): Promise<{ name: string; size: number; createdAt: string }> {
  if (backupRunning) throw new AppError('conflict', 'A backup is being taken already; try again when it is done');
  backupRunning = true;
  try {
    return await takeBackupNow();
  } finally {
    backupRunning = false;
  }
}

async function takeBackupNow(): Promise<{ name: string; size: number; createdAt: string }> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let name = `chattrix-${stamp}.tar.gz`;
  for (let i = 1; existsSync(path.join(backupsDir(), name)); i++) name = `chattrix-${stamp}-${i}.tar.gz`;
  const file = path.join(backupsDir(), name);
  await backupToFile(file);
  const all = await listBackups();
  for (const old of all.slice(0, Math.max(0, all.length - env.BACKUP_KEEP))) await rm(path.join(backupsDir(), old.name), { force: true });
  const s = await stat(file);
  return { name, size: s.size, createdAt: s.mtime.toISOString() };
}

/** Starts the BACKUP_SCHEDULE job (cron syntax, croner; seconds allowed as a sixth field). Returns a stop function. */
export async function startBackupSchedule(): Promise<() => void> {
  if (!env.BACKUP_SCHEDULE) return () => {};
  const { Cron } = await import('croner');
  const job = new Cron(env.BACKUP_SCHEDULE, { protect: true, timezone: 'UTC' }, async () => {
    try {
      const b = await takeBackupIntoDataDir();
      console.log(`[chattrix] scheduled backup ${b.name} (${b.size} bytes)`);
    } catch (e) {
      if (e instanceof AppError && e.code === 'conflict') console.log('[chattrix] scheduled backup skipped: one was being taken already');
      else console.error('[chattrix] scheduled backup failed:', e);
    }
  });
  return () => job.stop();
}

export async function validateBackupSchedule(): Promise<string | null> {
  if (!env.BACKUP_SCHEDULE) return null;
  const { Cron } = await import('croner');
  try {
    new Cron(env.BACKUP_SCHEDULE, { paused: true }).stop();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Restore

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

async function isEmptyPostgres(url: string): Promise<boolean> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
    return rows[0]?.n === 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function isEmptyStorage(s: Storage): Promise<boolean> {
  for await (const _ of s.list()) return false;
  return true;
}

export interface RestoreOptions {
  withSecrets?: boolean;
  log?: (line: string) => void;
}

/**
 * Restores an archive into an empty target: DATA_DIR (PGlite backup: DATA_DIR/db must not hold a database) or the
 * empty PostgreSQL database DATABASE_URL names (PostgreSQL backup), and the empty storage (DATA_DIR/uploads or
 * STORAGE_URL). secrets.json only with `withSecrets`. The server must not be running.
 */
export async function restoreBackup(file: string, opts: RestoreOptions = {}): Promise<{ files: number; database: string }> {
  const log = opts.log ?? (() => {});
  if (await serverIsRunning()) throw new Error('a server is running on this DATA_DIR: stop it before restoring');
  const target = createStorage(env.STORAGE_URL, env.DATA_DIR);
  if (!(await isEmptyStorage(target))) throw new Error('the file storage is not empty: restore into an empty DATA_DIR / bucket');

  const sums: Record<string, string> = {};
  let expected: Record<string, string> | undefined;
  let manifest: Manifest | undefined;
  let files = 0;
  const entries = readTar(createReadStream(file).pipe(createGunzip()));
  for await (const entry of entries) {
    const hash = createHash('sha256');
    async function* hashed(): AsyncGenerator<Buffer> {
      for await (const c of entry.body) {
        hash.update(c);
        yield c;
      }
    };
    if (entry.name === 'manifest.json') {
      manifest = JSON.parse((await collect(hashed())).toString('utf8')) as Manifest;
      if (manifest.format !== BACKUP_FORMAT) throw new Error('not a Chattrix backup');
      log(`backup of ${manifest.createdAt} (${manifest.database})`);
    } else if (!manifest) {
      throw new Error('not a Chattrix backup (no manifest first)');
    } else if (entry.name === 'database/pglite.tar') {
      if (env.DATABASE_URL) throw new Error('this backup holds the embedded database (PGlite): restore it without DATABASE_URL');
      const dir = path.resolve(env.DATA_DIR, 'db');
      if (existsSync(path.join(dir, 'PG_VERSION'))) throw new Error(`${dir} already holds a database: restore into an empty DATA_DIR`);
      await mkdir(dir, { recursive: true });
      const data = await collect(hashed());
      const { PGlite } = await import('@electric-sql/pglite');
      const pg = await PGlite.create(dir, { loadDataDir: new Blob([new Uint8Array(data)]) });
      await pg.query('select 1');
      await pg.close();
      log(`database restored into ${dir}`);
    } else if (entry.name === 'database/postgres.dump') {
      if (!env.DATABASE_URL) throw new Error('this backup holds a PostgreSQL database: set DATABASE_URL to an empty database');
      if (!(await isEmptyPostgres(env.DATABASE_URL))) throw new Error('the database DATABASE_URL names is not empty');
      const tmp = await mkdtemp(path.join(tmpdir(), 'chattrix-restore-'));
      try {
        const dump = path.join(tmp, 'postgres.dump');
        await pipeline(Readable.from(hashed()), createWriteStream(dump));
        await run(pgTool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', env.DATABASE_URL, dump]);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      log('database restored with pg_restore');
    } else if (entry.name.startsWith('uploads/')) {
      const key = entry.name.slice('uploads/'.length);
      const body = new PassThrough();
      const writing = target.write(key, body);
      await pipeline(Readable.from(hashed()), body);
      await writing;
      files++;
    } else if (entry.name === 'secrets.json') {
      const data = await collect(hashed());
      if (opts.withSecrets) {
        await mkdir(path.resolve(env.DATA_DIR), { recursive: true });
        await writeFile(path.resolve(env.DATA_DIR, 'secrets.json'), data, { mode: 0o600 });
        log('secrets.json restored (AUTH_SECRET, VAPID keys)');
      } else {
        log('secrets.json left out (use --with-secrets): sessions sign in again, push subscriptions must be renewed');
      }
    } else if (entry.name === 'checksums.json') {
      expected = JSON.parse((await collect(entry.body)).toString('utf8')) as Record<string, string>;
      continue;
    } else {
      for await (const _ of entry.body) {
        /* unknown entry: skipped */
      }
      continue;
    }
    sums[entry.name] = hash.digest('hex');
  }
  if (!manifest) throw new Error('not a Chattrix backup');
  if (!expected) throw new Error('the archive is incomplete (no checksums.json at its end)');
  for (const [name, sum] of Object.entries(expected)) {
    if (sums[name] !== sum) throw new Error(`checksum mismatch for ${name}: the archive is damaged`);
  }
  log(`${files} file(s) restored`);
  return { files, database: manifest.database };
}
