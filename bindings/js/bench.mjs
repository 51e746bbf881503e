// Classification in Node through the wasm package, on the reports the native criterion bench
// uses (benches/data/classify-reports.json), compared with the native figures when
// `cargo bench --bench classify` has left them in target/criterion.
//
//   node bench.mjs            full run (about 15 s); prints both figures and the ratio
//   node bench.mjs --quick    a short run that only proves the script works (CI)
//   node bench.mjs --json     the full run's rows as JSON on stdout (read by scripts/bench.sh)
import { existsSync, readFileSync } from 'node:fs';
import { Policy } from 'caseflow-wasm';

const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const root = new URL('../../', import.meta.url);
const reports = JSON.parse(readFileSync(new URL('benches/data/classify-reports.json', root), 'utf8'));
const policy = new Policy();

/** Median microseconds per call of `fn` over `rounds` batches of `batch` calls. */
function time(fn, rounds, batch) {
  for (let i = 0; i < batch; i++) fn(); // warm-up: JIT the glue, grow the wasm heap
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** The native mean in microseconds, if criterion has measured it. */
function native(name) {
  const file = new URL(`target/criterion/classify/${name}/new/estimates.json`, root);
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')).mean.point_estimate / 1000;
}

const [rounds, batch, warmMs] = quick ? [3, 20, 0] : [25, 400, 2000];
// Warm up on every report first: V8 compiles hot wasm functions with its optimising tier in the
// background, and the wasm heap grows to its working size; neither should land in a figure.
for (const end = Date.now() + warmMs; Date.now() < end; ) {
  for (const { report } of reports) policy.classify(report);
}
const rows = [];
for (const { name, report } of reports) {
  const text = JSON.stringify(report);
  const viaJson = time(() => policy.callJson('classify', text), rounds, batch);
  const viaObject = time(() => policy.classify(report), rounds, batch);
  // A quick run's figures are too rough to hold against native ones.
  const rust = quick ? null : native(name);
  rows.push({
    report: name,
    'wasm callJson µs': viaJson.toFixed(1),
    'wasm classify(object) µs': viaObject.toFixed(1),
    'native µs': rust !== null ? rust.toFixed(1) : quick ? '' : '(run cargo bench --bench classify)',
    'ratio (callJson / native)': rust === null ? '' : (viaJson / rust).toFixed(2),
  });
}
if (asJson) {
  console.log(JSON.stringify({ node: process.version, quick, rows }));
} else {
  console.log(`classify, node ${process.version}${quick ? ' (quick run: figures are rough)' : ''}`);
  console.table(rows);
}
