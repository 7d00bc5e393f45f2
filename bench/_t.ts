import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
await db.exec(`create table m (s text, c text, b text)`);
for (const n of [50, 100, 200, 300, 500]) {
  const params: string[] = []; const tuples: string[] = [];
  for (let i = 0; i < n; i++) { params.push('s'+i, 'c'+i); tuples.push(`($${2*i+1}, $${2*i+2})`); }
  try { const t0 = performance.now(); await db.query(`select * from m where (s, c) in (${tuples.join(', ')})`, params); console.log(n, 'ok', (performance.now()-t0).toFixed(1)); }
  catch (e) { console.log(n, 'fail', (e as Error).message); break; }
}
