// `npm test`: every check, in order, continuing past failures:
//   1. tsc --noEmit (app, tests and e2e; skipped when CHATTRIX_SKIP_TYPECHECK=1)
//   2. next build (skipped when CHATTRIX_SKIP_BUILD=1)
//   3. vitest run (unit, integration over HTTP, sockets)
//   4. playwright test (Chromium at /usr/bin/chromium, server on a free E2E_PORT)
// The last line is always `N passed, N failed` (tests across vitest and playwright; a stage that fails without
// reporting a failed test, such as tsc or the build, counts as one failure). Exit code 1 when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const reports = path.join(root, 'test-results', 'reports');
const vitestJson = path.join(reports, 'vitest.json');
const playwrightJson = path.join(reports, 'playwright.json');
mkdirSync(reports, { recursive: true });
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
const bin = (p) => path.join(root, 'node_modules', p);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(args, env = baseEnv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

// The first meaningful line of an error message, without colour codes, for the summary.
const firstLine = (msg) =>
  String(msg ?? 'no message')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
    ?.slice(0, 300) ?? 'no message';

const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
const stages = [];

async function stage(name, fn) {
  console.log(`\n━━━ ${name} ━━━\n`);
  const started = Date.now();
  const result = await fn();
  stages.push({ name, ms: Date.now() - started, ...result });
}

if (process.env.CHATTRIX_SKIP_TYPECHECK === '1') {
  stages.push({ name: 'typecheck (tsc --noEmit)', ms: 0, ok: true, stageSkipped: true, note: 'skipped (CHATTRIX_SKIP_TYPECHECK=1)' });
} else await stage('typecheck (tsc --noEmit)', async () => {
  const code = await run([bin('typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  // The service worker has its own lib (WebWorker), so its own project.
  const swCode = code === 0 ? await run([bin('typescript/bin/tsc'), '--noEmit', '-p', 'lib/sw/tsconfig.json']) : 1;
  return { ok: code === 0 && swCode === 0, note: code === 0 && swCode === 0 ? 'no errors' : `tsc exited ${code || swCode}` };
});

if (process.env.CHATTRIX_SKIP_BUILD === '1') {
  stages.push({ name: 'build (next build + serwist build)', ms: 0, ok: true, stageSkipped: true, note: 'skipped (CHATTRIX_SKIP_BUILD=1)' });
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.warn('CHATTRIX_SKIP_BUILD=1 but there is no .next/BUILD_ID: the end-to-end tests will fail.');
  }
} else {
  await stage('build (next build + serwist build)', async () => {
    const code = await run([bin('next/dist/bin/next'), 'build'], { ...baseEnv, NODE_ENV: 'production' });
    if (code !== 0) return { ok: false, note: `next build exited ${code}` };
    // The service worker is built after Next (Serwist's configurator mode).
    const sw = await run([bin('@serwist/cli/cli.js'), 'build'], { ...baseEnv, NODE_ENV: 'production' });
    return { ok: sw === 0, note: sw === 0 ? 'built' : `serwist build exited ${sw}` };
  });
}

await stage('vitest (unit, integration, sockets)', async () => {
  const code = await run([bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  const r = readJson(vitestJson);
  if (!r) return { ok: false, passed: 0, failed: 1, skipped: 0, note: `vitest exited ${code} without a report` };
  const passed = r.numPassedTests ?? 0;
  let failed = r.numFailedTests ?? 0;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  let note = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  if (code !== 0 && failed === 0) {
    failed = 1;
    note += `; vitest exited ${code} (an error outside a test, counted as one failure)`;
  }
  const failures = (r.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((a) => a.status === 'failed')
      .map((a) => `${path.relative(root, file.name)} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`),
  );
  return { ok: code === 0 && failed === 0, passed, failed, skipped, note, failures };
});

await stage('playwright (end to end, Chromium)', async () => {
  const port = String(await freePort());
  const code = await run([bin('@playwright/test/cli.js'), 'test'], { ...baseEnv, E2E_PORT: port });
  const r = readJson(playwrightJson);
  if (!r?.stats) return { ok: false, passed: 0, failed: 1, skipped: 0, note: `playwright exited ${code} without a report` };
  const passed = (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
  let failed = r.stats.unexpected ?? 0;
  const skipped = r.stats.skipped ?? 0;
  let note = `${passed} passed, ${failed} failed, ${skipped} skipped${r.stats.flaky ? ` (${r.stats.flaky} flaky)` : ''}; E2E_PORT=${port}`;
  if ((r.errors?.length ?? 0) > 0 && failed === 0) {
    failed = 1;
    note += `; ${r.errors.length} error(s) outside tests (counted as one failure): ${r.errors.map((e) => e.message?.split('\n')[0]).join(' | ')}`;
  } else if (code !== 0 && failed === 0) {
    failed = 1;
    note += `; playwright exited ${code} (counted as one failure)`;
  }
  const failures = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const err = t.results?.at(-1)?.error?.message;
        failures.push(`${spec.file}:${spec.line} › ${[...titles, spec.title].join(' › ')}: ${firstLine(err)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const suite of r.suites ?? []) walk(suite, []);
  return { ok: code === 0 && failed === 0, passed, failed, skipped, note, failures };
});

let passed = 0;
let failed = 0;
console.log('\n━━━ summary ━━━');
for (const s of stages) {
  passed += s.passed ?? 0;
  // A failed stage without failed tests (tsc, build) counts once.
  failed += s.failed ?? (s.ok ? 0 : 1);
  const mark = s.stageSkipped ? '–' : s.ok ? '✓' : '✗';
  console.log(`${mark} ${s.name.padEnd(38)} ${fmt(s.ms).padStart(8)}  ${s.note}`);
}
const total = stages.reduce((t, s) => t + s.ms, 0);
console.log(`  ${'total'.padEnd(38)} ${fmt(total).padStart(8)}`);
// Named here, so the last lines of a CI log say which tests failed and why.
const failures = stages.flatMap((s) => s.failures ?? []);
if (failures.length > 0) {
  console.log('failed:');
  for (const f of failures) console.log(`  ✗ ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || stages.some((s) => !s.ok) ? 1 : 0;
