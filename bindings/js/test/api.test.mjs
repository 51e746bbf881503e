// The package's own behaviour: errors as CaseflowError with code and path, inputs with no JSON
// form, policies from text or objects, the evidence spans, version and entry points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as pkg from 'caseflow-wasm';

const { CaseflowError, Policy, calls, verifyLog, version } = pkg;
const packageJson = JSON.parse(
  readFileSync(new URL('../node_modules/caseflow-wasm/package.json', import.meta.url), 'utf8'),
);

const report = {
  id: 'S-20',
  project: 'P-2026-017',
  channel: 'phone',
  description: '😀阳台护栏松动，存在安全隐患',
  raised_at: '2026-03-02T09:15:00+08:00',
  location: '10号楼601阳台',
  contact: { name: '业主', phone: '13800000000' },
};

/** Runs `fn`, which must throw, and returns what it threw. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

test('classify: a balcony railing hazard is tier 1, emergency III, with routing and deadlines', () => {
  const policy = new Policy();
  const r = policy.classify(report);
  assert.equal(r.report_id, 'S-20');
  assert.equal(r.tier, 1);
  assert.equal(r.emergency, 'III');
  assert.deepEqual(r.routing.plan.approved_by, ['company_leadership']);
  assert.equal(r.routing.deadlines[0].clock, 'contact_customer');
  assert.equal(r.routing.deadlines[0].due, '2026-03-03T09:15:00+08:00');
});

test('evidence spans count characters (code points): index Array.from(description)', () => {
  const r = new Policy().classify(report);
  const spans = r.explanation.tier.rules.flatMap((rule) => rule.evidence).filter((e) => e.kind === 'text');
  assert.ok(spans.length > 0);
  const chars = Array.from(report.description);
  for (const e of spans) assert.equal(chars.slice(e.start, e.end).join(''), e.text);
  // The emoji is two UTF-16 units: indexing the string itself would be off by one.
  assert.notEqual(report.description.slice(spans[0].start, spans[0].end), spans[0].text);
});

test('a bad report throws a CaseflowError naming every bad field, first path in `path`', () => {
  const e = thrown(() =>
    new Policy().classify({ ...report, contact: { phone: 'call me' }, channel: 'fax', location: undefined }),
  );
  assert.ok(e instanceof CaseflowError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'CaseflowError');
  assert.equal(e.code, 'invalid_report');
  const paths = e.errors.map((d) => d.path).sort();
  assert.deepEqual(paths, ['$.channel', '$.contact.phone', '$.location']);
  assert.equal(e.path, e.errors[0].path);
  assert.match(e.message, /^invalid report: 3 problems/);
  assert.ok(e.stack.includes('CaseflowError'), 'a real stack');
});

test('values with no JSON form are refused as invalid_json, never a bare string', () => {
  const policy = new Policy();
  for (const [value, why] of [
    [undefined, /no JSON form/],
    [() => 1, /no JSON form/],
    [{ id: 1n }, /BigInt/],
  ]) {
    const e = thrown(() => policy.classify(value));
    assert.ok(e instanceof CaseflowError, String(e));
    assert.equal(e.code, 'invalid_json');
    assert.equal(e.path, '$');
    assert.match(e.message, why);
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.equal(thrown(() => policy.classify(cyclic)).code, 'invalid_json');
});

test('a policy loads from text or from an object; a bad one names its paths', () => {
  const text = JSON.stringify(new Policy().document());
  const changed = JSON.parse(text);
  changed.categories.quality.labels.en = 'Build quality';
  const fromObject = new Policy(changed);
  assert.equal(fromObject.document().categories.quality.labels.en, 'Build quality');
  assert.deepEqual(new Policy(text).summary(), Policy.builtin().summary());

  changed.tiers['2'].deadlines.plan = '-3 working_days';
  delete changed.clocks;
  const e = thrown(() => new Policy(changed));
  assert.equal(e.code, 'invalid_policy');
  assert.deepEqual(e.errors.map((d) => d.path).sort(), ['$.clocks']);
  const e2 = thrown(() => new Policy('{"schema": 1'));
  assert.equal(e2.code, 'invalid_policy');
  assert.match(e2.errors[0].message, /line 1/);
});

test('Policy.check reports without throwing', () => {
  const bad = Policy.check('{"schema": 1, "name": "x"}');
  assert.equal(bad.valid, false);
  assert.ok(bad.errors.some((d) => d.path === '$.version'));
  const good = Policy.check(JSON.stringify(new Policy().document()));
  assert.equal(good.valid, true);
  assert.deepEqual(good.summary.covered_years, [2025, 2026]);
});

test('calendar, deadline and clocks answer like the CLI (policy.md §5.1 examples)', () => {
  const policy = new Policy();
  assert.equal(
    policy.deadline({ from: '2026-02-13T18:00:00+08:00', add: '3 working_days' }).due,
    '2026-02-25T17:30:00+08:00',
  );
  assert.equal(
    policy.deadline({ from: '2026-09-28T15:00:00+08:00', add: { amount: 3, unit: 'calendar_days' } }).due,
    '2026-10-09T00:00:00+08:00',
  );
  const days = policy.calendarDays({ from: '2026-02-14', to: '2026-02-15' }).days;
  assert.deepEqual(days.map((d) => d.working), [true, false]);
  const e = thrown(() => policy.deadline({ from: '2026-03-02T09:00:00', add: '3 hours' }));
  assert.equal(e.code, 'invalid_input');
  assert.equal(e.path, '$.from');
});

test('a lifecycle: record, refuse a wrong role, accept, tick, verify and replay the log', () => {
  const policy = new Policy();
  const opened = policy.record({
    command: { type: 'record', actor: { id: 'clerk-1', roles: ['intake_clerk'] }, report },
    now: '2026-03-02T09:30:00+08:00',
  });
  assert.equal(opened.case.state, 'recorded');
  const accept = { type: 'accept', committed_deadline: '2026-03-13T17:30:00+08:00' };
  const refused = thrown(() =>
    policy.apply({ case: opened.case, command: { ...accept, actor: { id: 'f', roles: ['foreman'] } }, now: '2026-03-02T11:00:00+08:00' }),
  );
  assert.equal(refused.code, 'refused');
  const accepted = policy.apply({
    case: opened.case,
    command: { ...accept, actor: { id: 'pl-1', roles: ['project_leader'] } },
    now: '2026-03-02T11:00:00+08:00',
  });
  assert.equal(accepted.case.state, 'planning');
  const ticked = policy.tick({ case: accepted.case, now: '2026-03-05T09:00:00+08:00' });
  assert.ok(ticked.clocks.length > 0);
  const events = [opened.event, accepted.event];
  assert.equal(verifyLog({ events }).valid, true);
  assert.equal(policy.verifyLog({ events }).valid, true);
  assert.deepEqual(policy.replay({ events }), accepted.case);
  events[1] = { ...events[1], at: '2026-03-02T12:00:00+08:00' };
  assert.equal(verifyLog({ events }).valid, false);
});

test('sealed with the host\'s key: the log verifies with it and its snapshot, and not cut short', () => {
  const policy = new Policy();
  const key = '5a'.repeat(32);
  const opened = policy.record({
    command: { type: 'record', actor: { id: 'clerk-1', roles: ['intake_clerk'] }, report },
    now: '2026-03-02T09:30:00+08:00',
    key,
  });
  const accepted = policy.apply({
    case: opened.case,
    command: { type: 'accept', committed_deadline: '2026-03-13T17:30:00+08:00', actor: { id: 'pl-1', roles: ['project_leader'] } },
    now: '2026-03-02T11:00:00+08:00',
    key,
  });
  assert.match(accepted.event.seal, /^[0-9a-f]{64}$/);
  const events = [opened.event, accepted.event];
  const verdict = verifyLog({ events, case: accepted.case, key });
  assert.deepEqual([verdict.valid, verdict.anchor_checked, verdict.seals_checked], [true, true, true]);
  const cut = verifyLog({ events: events.slice(0, 1), anchor: { events: accepted.case.events, last_hash: accepted.case.last_hash } });
  assert.deepEqual([cut.valid, cut.first_bad.index], [false, 1]);
  assert.equal(thrown(() => policy.replay({ events: events.slice(0, 1), case: accepted.case })).code, 'corrupt_log');
  const e = thrown(() => verifyLog({ events, key: 'not a key' }));
  assert.deepEqual([e.code, e.path], ['invalid_input', '$.key']);
});

test('warranty: the clerk\'s question and the answer in classify, with the service request', () => {
  const policy = new Policy();
  const asked = policy.warranty({ project_facts: { accepted_on: '2024-02-29' }, element: 'decoration', on: '2026-03-01' });
  assert.equal(asked.status, 'expired');
  assert.equal(asked.ends_on, '2026-02-28');
  assert.equal(asked.rule, '$.warranty.elements.decoration.period');
  const e = thrown(() => policy.warranty({ project_facts: { started_on: '2024-05-01', accepted_on: '2024-04-30' }, on: '2026-03-01' }));
  assert.equal(e.code, 'invalid_input');
  assert.equal(e.path, '$.project_facts.accepted_on');

  const leak = { ...report, description: '卫生间顶棚渗水', project_facts: { accepted_on: '2020-06-30' } };
  const outside = policy.classify(leak);
  assert.equal(outside.warranty.status, 'expired');
  assert.equal(outside.warranty.element, 'waterproofing');
  assert.equal(outside.routing.service_request.reason, outside.warranty.reason);
  // The evidence spans index code points, as the classification's do.
  const [found] = outside.warranty.suggested;
  const chars = Array.from(leak.description);
  for (const ev of found.evidence) assert.equal(chars.slice(ev.start, ev.end).join(''), ev.text);
  const within = policy.classify({ ...leak, project_facts: { accepted_on: '2024-06-30' } });
  assert.equal(within.warranty.status, 'within');
  assert.equal(within.routing.service_request, undefined);
});

test('a policy with an impossible season day is refused by path, and Policy.check says so', () => {
  const doc = new Policy().document();
  doc.warranty.seasons.heating.from = '02-30';
  const e = thrown(() => new Policy(doc));
  assert.equal(e.code, 'invalid_policy');
  assert.equal(e.path, '$.warranty.seasons.heating.from');
  const checked = Policy.check(JSON.stringify(doc));
  assert.equal(checked.valid, false);
  assert.deepEqual(checked.errors.map((d) => d.path), ['$.warranty.seasons.heating.from']);
});

test('callJson answers JSON text; an unknown call is refused by name', () => {
  const policy = new Policy();
  const text = policy.callJson('deadline', '{"from": "2026-02-13T16:30:00+08:00", "add": "8 business_hours"}');
  assert.equal(text, '{"from":"2026-02-13T16:30:00+08:00","add":"8 business_hours","due":"2026-02-14T17:00:00+08:00","warnings":[]}');
  const e = thrown(() => policy.callJson('kpi', '{}'));
  assert.equal(e.code, 'invalid_input');
  assert.match(e.message, /unknown call `kpi`/);
  assert.equal(thrown(() => policy.callJson('classify', '{')).code, 'invalid_json');
});

test('the package: version matches package.json, entry points, warnings, free', async () => {
  assert.equal(version(), packageJson.version);
  assert.deepEqual(calls(), ['classify', 'deadline', 'calendar_days', 'clock_status', 'record', 'apply', 'tick', 'replay', 'verify_log', 'warranty', 'drill_status', 'assess', 'merge_assessments', 'spot_check', 'audit', 'analyze_policy', 'diff_policies']);
  assert.deepEqual(Object.keys(pkg).sort(), ['CaseflowError', 'Policy', 'calls', 'default', 'verifyLog', 'version']);
  await pkg.default(); // the browser entry's init, a no-op under Node
  const policy = new Policy();
  assert.deepEqual(policy.warnings(), []);
  policy.free();
  assert.throws(() => policy.classify(report), /null pointer|freed|moved/i);
});
