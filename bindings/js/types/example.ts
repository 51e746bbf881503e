// A small typed program against the package's generated definitions, checked by `tsc --noEmit`
// (test/types.test.mjs). The @ts-expect-error lines prove the types are precise, not `any`:
// each fails the check if the line it marks stops being an error.
import init, {
  CaseflowError,
  Policy,
  calls,
  verifyLog,
  type CallName,
  type CallResults,
  type ClassifyResult,
  type Diagnostic,
  type DrillStatus,
  type Kpis,
  type ErrorCode,
  type Evidence,
  type Report,
  type Tier,
  type Warranty,
  type WarrantyStatus,
} from 'caseflow-wasm';

const report: Report = {
  id: 'S-20',
  project: 'P-2026-017',
  channel: 'phone',
  description: '阳台护栏松动，存在安全隐患',
  raised_at: '2026-03-02T09:15:00+08:00',
  location: '10号楼601阳台',
  contact: { name: '业主', phone: '13800000000' },
  facts: { safety_hazard: true, households_affected: 1 },
};

await init(); // a no-op under Node, needed in a browser: the same code runs in both
const policy = new Policy();
const result: ClassifyResult = policy.classify(report);
const tier: Tier = result.tier;
// Result types are the types the engine reads, so a member it always writes may be typed optional.
const level: 'I' | 'II' | 'III' | null | undefined = result.emergency;
const approvers: string[] = result.routing.plan.approved_by;
const firstDue: string | null | undefined = result.routing.deadlines[0]?.due;

// Evidence is a tagged union: narrowing on `kind` gives the span.
function spans(evidence: Evidence[]): Array<[number, number]> {
  return evidence.flatMap((e) => (e.kind === 'text' ? [[e.start, e.end] as [number, number]] : []));
}
const tierSpans = spans(result.explanation.tier.rules.flatMap((r) => r.evidence));

const due: string = policy.deadline({ from: '2026-02-13T18:00:00+08:00', add: '3 working_days' }).due;
const structured = policy.deadline({ from: '2026-02-13T18:00:00+08:00', add: { amount: 3, unit: 'working_days' } });
const opened = policy.record({
  command: { type: 'record', actor: { id: 'clerk-1', roles: ['intake_clerk'] }, report },
  now: '2026-03-02T09:30:00+08:00',
});
const accepted = policy.apply({
  case: opened.case,
  command: { type: 'accept', actor: { id: 'pl-1', roles: ['project_leader'] }, committed_deadline: '2026-03-13T17:30:00+08:00' },
  now: '2026-03-02T11:00:00+08:00',
});
const state: string = policy.tick({ case: accepted.case, now: '2026-03-05T09:00:00+08:00' }).state;
const valid: boolean = verifyLog({ events: [opened.event, accepted.event] }).valid;
const names: CallName[] = calls();
const asked: Warranty = policy.warranty({ project_facts: { accepted_on: '2024-06-30' }, element: 'decoration', on: '2026-03-02' });
const status: WarrantyStatus = asked.status;
const endsOn: string | null | undefined = result.warranty?.ends_on;
// The period is a tagged union: narrowing on `kind` gives its members.
const seasons: number = asked.period?.kind === 'seasons' ? asked.period.amount : 0;
const results: CallResults['deadline'] = structured;
// The emergency plan and supervision: a drill's status, and a month's figures over stored logs.
const drills: DrillStatus = policy.drillStatus({ drills: ['2025-12-01'], now: '2026-03-02T09:00:00+08:00' });
const drillOverdue: boolean = drills.overdue;
const kpis: Kpis = policy.assess({ cases: [[opened.event, accepted.event]], from: '2026-03-01', to: '2026-03-31', now: '2026-04-01T09:00:00+08:00' });
const contacted: number | null | undefined = kpis.overall.contacted_in_time.ratio;
const merged: Kpis = policy.mergeAssessments({ summaries: [kpis, kpis] });
const sampled: number = Object.keys(policy.spotCheck({ cases: [], k: 2, seed: 7 }).projects).length;
const findings: number = policy.audit({ cases: [] }).findings.length;

try {
  policy.classify(report);
} catch (e) {
  if (e instanceof CaseflowError) {
    const code: ErrorCode = e.code;
    const path: string = e.path;
    const all: Diagnostic[] = e.errors;
    console.log(code, path, all.length);
  }
}

// @ts-expect-error: channel is one of on_site, phone, written, online.
const badChannel: Report = { ...report, channel: 'fax' };
// @ts-expect-error: a report needs a contact.
const noContact: Report = { id: 'x', project: 'p', channel: 'phone', description: 'd', raised_at: 'r', location: 'l' };
// @ts-expect-error: the tier is 1, 2 or 3, not a string.
const tierText: string = result.tier;
// @ts-expect-error: classify takes a Report, not JSON text.
policy.classify('{"id": "S-20"}');
// @ts-expect-error: a command names a known type.
policy.apply({ case: opened.case, command: { type: 'approve', actor: { id: 'a', roles: [] } }, now: '' });
// @ts-expect-error: callJson takes a call name it knows.
policy.callJson('kpi', '{}');
// @ts-expect-error: an error code is one of the stable codes.
const unknownCode: ErrorCode = 'oops';
// @ts-expect-error: an element is one of the policy's seven.
policy.warranty({ element: 'attic', on: '2026-03-02' });
// @ts-expect-error: a period is two dates, not a number of days.
policy.assess({ cases: [], from: 30, to: '2026-03-31', now: '2026-04-01T09:00:00+08:00' });
// @ts-expect-error: a warranty status is within, expired or unknown, not a boolean.
const statusFlag: WarrantyStatus = true;

console.log(tier, level, approvers, firstDue, tierSpans, due, state, valid, names, results);
console.log(badChannel, noContact, tierText, unknownCode, statusFlag, status, endsOn, seasons);
console.log(drillOverdue, contacted, merged, sampled, findings);
