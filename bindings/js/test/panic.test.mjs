// What a Rust panic does to the package, on a debug build with the `testPanic()` export
// (`bash build.sh --test-panic`): the call that panics traps, and the instance, whose memory may
// now be inconsistent, refuses every later call with a CaseflowError naming the panic, instead of
// running on silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

const glue = new URL('../../../target/wasm-test-panic/caseflow_wasm.js', import.meta.url);
const report = {
  id: 'S-20',
  project: 'P-2026-017',
  channel: 'phone',
  description: '阳台护栏松动，存在安全隐患',
  raised_at: '2026-03-02T09:15:00+08:00',
  location: '10号楼601阳台',
  contact: { phone: '13800000000' },
};

test('a panic traps its call; every later call throws CaseflowError internal naming it', async () => {
  assert.ok(existsSync(glue), 'the test-panic build is missing: run `bash bindings/js/build.sh --test-panic`');
  const m = await import(glue);
  const { CaseflowError } = await import(new URL('caseflow_error.js', glue));
  const policy = new m.Policy();
  assert.equal(policy.classify(report).tier, 1);

  assert.throws(() => m.testPanic(), (e) => e instanceof WebAssembly.RuntimeError);

  for (const call of [
    () => policy.classify(report),
    () => policy.callJson('classify', JSON.stringify(report)),
    () => new m.Policy(),
    () => m.verifyLog({ events: [] }),
    () => m.testPanic(),
  ]) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof CaseflowError, `${e}`);
      assert.equal(e.code, 'internal');
      assert.match(e.message, /must be reloaded: .*a panic on purpose \(test-panic\)/s);
      return true;
    });
  }
});
