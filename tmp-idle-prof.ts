import { startServer } from './tests/helpers/server';
const s = await startServer({ env: { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/prof2' }, timeoutMs: 60000 });
await new Promise((r) => setTimeout(r, 50_000));
await s.stop();
