// The shared conformance corpus (tests/conformance/), run through the package: every case, once
// through the typed method that takes and returns plain objects and once through callJson (JSON
// text in and out), each compared structurally with the case's `expect`. A case given as
// `input_text` runs through callJson only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CaseflowError, Policy, calls } from 'caseflow-wasm';

const corpus = fileURLToPath(new URL('../../../tests/conformance/', import.meta.url));
const files = readdirSync(`${corpus}cases`).filter((f) => f.endsWith('.json')).sort();
const cases = files.map((f) => ({ file: f, ...JSON.parse(readFileSync(`${corpus}cases/${f}`, 'utf8')) }));

// Each call's method on Policy.
const methods = {
  classify: 'classify',
  deadline: 'deadline',
  calendar_days: 'calendarDays',
  clock_status: 'clockStatus',
  record: 'record',
  apply: 'apply',
  tick: 'tick',
  replay: 'replay',
  verify_log: 'verifyLog',
  warranty: 'warranty',
  drill_status: 'drillStatus',
  assess: 'assess',
  merge_assessments: 'mergeAssessments',
  spot_check: 'spotCheck',
  audit: 'audit',
  analyze_policy: 'analyzePolicy',
  diff_policies: 'diffPolicies',
};

const policies = new Map();
function policy(name) {
  if (!policies.has(name)) {
    policies.set(
      name,
      name === 'default' ? new Policy() : new Policy(readFileSync(`${corpus}policies/${name}`, 'utf8')),
    );
  }
  return policies.get(name);
}

/** What a call gave, in the corpus's form: `{ok: result}` or `{error: {code, message, errors}}`. */
function outcome(run) {
  try {
    return { ok: run() };
  } catch (e) {
    assert.ok(e instanceof CaseflowError, `a refusal is a CaseflowError, got ${e}`);
    assert.equal(e.path, e.errors[0]?.path ?? '$', 'path is the first diagnostic\'s');
    return { error: { code: e.code, message: e.message, errors: e.errors } };
  }
}

test('the corpus is there and names only calls the package has', () => {
  assert.ok(cases.length >= 95, `found ${cases.length} cases`);
  const names = new Set(calls());
  for (const c of cases) assert.ok(names.has(c.call), `${c.file}: unknown call ${c.call}`);
  assert.deepEqual([...names].sort(), Object.keys(methods).sort(), 'every call has a method');
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => {
    const p = policy(c.policy);
    // A case with `input_text` holds JSON text no JavaScript object can (a member named twice,
    // nesting beyond the limit, a number no double holds): it goes to callJson byte for byte.
    if (c.input_text === undefined) {
      assert.deepStrictEqual(outcome(() => p[methods[c.call]](c.input)), c.expect, 'typed method');
    }
    const text = c.input_text ?? JSON.stringify(c.input);
    const viaJson = outcome(() => JSON.parse(p.callJson(c.call, text)));
    assert.deepStrictEqual(viaJson, c.expect, 'callJson');
  });
}
