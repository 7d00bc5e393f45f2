// `npm run restore -- FILE [--with-secrets]`: brings an empty DATA_DIR (embedded database) or an empty PostgreSQL
// database (DATABASE_URL) and empty file storage back to a backup. The server must be stopped. See README → Backups.
export {};

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file || args.includes('--help')) {
  console.error('usage: npm run restore -- FILE.tar.gz [--with-secrets]');
  process.exit(file ? 0 : 2);
}
const { restoreBackup } = await import('../lib/services/backups');
const started = Date.now();
try {
  const r = await restoreBackup(file, { withSecrets: args.includes('--with-secrets'), log: (l) => console.log(l) });
  console.log(`restored (${r.database}, ${r.files} files) in ${Date.now() - started} ms; start the server with the same DATA_DIR${r.database === 'postgres' ? ' and DATABASE_URL' : ''}`);
  process.exit(0);
} catch (e) {
  console.error(`restore failed: ${(e as Error).message}`);
  process.exit(1);
}
