// `npm start`: build when no build exists (Next, then the service worker), then run the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: process.env.NODE_ENV ?? 'production' };
const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync('.next/BUILD_ID') || !existsSync('public/sw.js')) {
  console.log('No build found: building Chattrix (first start only)…');
  run(['node_modules/next/dist/bin/next', 'build']);
  run(['node_modules/@serwist/cli/cli.js', 'build']);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
