// `npm start`: build when there is no build, or when the build was made from other sources (after a `git pull`,
// an edit or a new lockfile: a hash of the sources is stored beside the build), then run the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HASH_FILE, sourceHash } from './source-hash.mjs';

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: process.env.NODE_ENV ?? 'production' };
const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const hash = sourceHash();
const built = existsSync('.next/BUILD_ID') && existsSync('public/sw.js');
const builtFrom = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, 'utf8').trim() : null;
if (!built || builtFrom !== hash) {
  console.log(
    !built
      ? 'No build found: building Chattrix (first start)…'
      : 'The sources changed since the last build (or it was made elsewhere): rebuilding Chattrix…',
  );
  run(['node_modules/next/dist/bin/next', 'build']);
  run(['node_modules/@serwist/cli/cli.js', 'build']);
  writeFileSync(HASH_FILE, `${hash}\n`);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
