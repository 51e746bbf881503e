// The quality department's monthly report (`caseflow kpi --html`) in Debian's Chromium, headless,
// driven by playwright-core (which never downloads a browser): the page is opened from file://,
// its charts render with a size, it logs no error and asks the network for nothing. The report
// and a full-page screenshot are kept in target/artifacts/.
//
// Run from the repository root after `cargo build --bin caseflow`: `node --test tests/browser/`.
// Chromium is launched as the form's tests launch it (bindings/js/browser/chromium.mjs, with
// bindings/js's playwright-core, installed by scripts/lib/setup.sh's setup_node).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { launchChromium } = await import(pathToFileURL(join(root, 'bindings/js/browser/chromium.mjs')).href);
const artifacts = join(root, 'target/artifacts');
const caseflow = process.env.CASEFLOW_BIN ?? join(root, 'target/debug/caseflow');
const now = '2026-06-01T00:00:00+08:00';
let browser;
let report;
let kpis;

/** The event log of every scenario, one per line, and one log edited after the fact. */
function caseFile() {
  const dir = join(root, 'scenarios');
  const logs = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(execFileSync(caseflow, ['simulate', '--json', join(dir, name)])).events);
  const edited = structuredClone(logs[0]);
  edited[1].at = '2026-03-02T10:01:00+08:00';
  logs.push(edited);
  const file = join(mkdtempSync(join(tmpdir(), 'caseflow-kpi-')), 'cases.jsonl');
  writeFileSync(file, logs.map((log) => JSON.stringify(log)).join('\n') + '\n');
  return file;
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  const cases = caseFile();
  report = join(artifacts, 'kpi-report.html');
  const period = ['--from', '2026-01-01', '--to', '2026-12-31', '--now', now];
  kpis = JSON.parse(execFileSync(caseflow, ['kpi', ...period, '--json', '--html', report, cases]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

test('the monthly report renders its charts from file://, with no error and no request', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
  await page.goto(pathToFileURL(report).href);

  for (const chart of ['timeliness-chart', 'breaches-chart', 'satisfaction-chart', 'emergencies-chart', 'emergency-timeliness-chart']) {
    const box = await page.locator(`svg#${chart}`).boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, `${chart} has no size: ${JSON.stringify(box)}`);
  }
  // One drawn bar per score that was given, each as tall as its share of the tallest.
  const histogram = kpis.overall.satisfaction.histogram;
  const heights = await page
    .locator('svg#satisfaction-chart rect.bar')
    .evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().height));
  assert.equal(heights.length, 5);
  const top = Math.max(...histogram);
  histogram.forEach((n, i) => {
    assert.equal(heights[i] > 0, n > 0, `score ${i + 1}: ${n} cases, bar ${heights[i]}px`);
    if (n > 0) assert.ok(Math.abs(heights[i] / heights[histogram.indexOf(top)] - n / top) < 0.02);
  });
  // Every project has its timeliness bars, drawn to its ratio.
  const projects = Object.keys(kpis.by_project);
  const tracks = await page.locator('svg#timeliness-chart rect.track').count();
  assert.equal(tracks, projects.length * 2);
  // The overall figures, numerator and denominator, as the JSON summary has them.
  const contacted = kpis.overall.contacted_in_time;
  const cells = await page.locator('tr[data-figure=contacted_in_time] td.n').allInnerTexts();
  assert.deepEqual(cells.slice(0, 2), [String(contacted.numerator), String(contacted.denominator)]);
  // The emergencies' action timeliness: a bar drawn to its ratio, the counts in the table.
  const actions = kpis.overall.emergencies.actions_on_time;
  assert.ok(actions.denominator > 0, 'the scenarios include emergencies with actions');
  const [track, bar] = await page
    .locator('svg#emergency-timeliness-chart rect')
    .evaluateAll((rects) => rects.slice(0, 2).map((r) => r.getBoundingClientRect().width));
  assert.ok(Math.abs(bar / track - actions.ratio) < 0.01, `bar ${bar} of ${track} for ${actions.ratio}`);
  const actionCells = await page.locator('tr[data-figure=actions_on_time] td.n').allInnerTexts();
  assert.deepEqual(actionCells.slice(0, 2), [String(actions.numerator), String(actions.denominator)]);
  // The edited log is listed as left out, not counted.
  assert.equal(kpis.cases.left_out, 1);
  const edited = new RegExp(`case SC-BD \\(#${kpis.cases.read - 1}\\) event 1 `);
  assert.match(await page.locator('#left-out').innerText(), edited);

  await page.screenshot({ path: join(artifacts, 'kpi-report.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(requests, []);
  await page.close();
});
