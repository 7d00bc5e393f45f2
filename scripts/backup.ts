// `npm run backup -- --out FILE`: one .tar.gz with a consistent snapshot of the database and the uploaded files.
// With a server running on this DATA_DIR the server takes it (over DATA_DIR/control.sock) while it keeps serving;
// otherwise this command opens the database itself. See README → Backups.
import path from 'node:path';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (!out || args.includes('--help')) {
  console.error('usage: npm run backup -- --out FILE.tar.gz');
  process.exit(out ? 0 : 2);
}
const { backupThroughServer, backupToFile, serverIsRunning } = await import('../lib/services/backups');
const started = Date.now();
try {
  if (await serverIsRunning()) {
    await backupThroughServer(out);
    console.log(`backup written by the running server to ${path.resolve(out)} in ${Date.now() - started} ms`);
  } else {
    const { closeDb, initDb } = await import('../db');
    await initDb();
    const r = await backupToFile(out);
    await closeDb();
    console.log(`backup written to ${path.resolve(out)} (${r.files} files, ${r.bytes} bytes) in ${Date.now() - started} ms`);
  }
  process.exit(0);
} catch (e) {
  console.error(`backup failed: ${(e as Error).message}`);
  process.exit(1);
}
