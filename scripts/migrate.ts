// `npm run db:migrate`: applies pending migrations (PGlite in DATA_DIR, or DATABASE_URL) and exits.
import { closeDb, initDb } from '../db';

const started = Date.now();
const db = await initDb();
console.log(`migrations applied (${db.driver}) in ${Date.now() - started} ms`);
await closeDb();
