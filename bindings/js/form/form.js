// The intake form: reads the fields into a report (docs/policy.md §2), classifies it on every change
// with the wasm package, and shows the suggestion, its evidence in the description, the routing
// and the first deadlines. Nothing leaves the browser.
import init, { CaseflowError, Policy } from './pkg/index.js';
import { strings } from './i18n.js';

const form = document.getElementById('report');
const $ = (id) => document.getElementById(id);

let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
let policy = null;
let doc = null; // the policy document: labels and the calendar's offset
const touched = new Set(); // data-path of the fields the clerk has changed
let submitted = false;

const t = (key) => strings[lang][key] ?? strings.en[key] ?? key;
const label = (labels) => (labels ? labels[lang] : '');
const roleName = (role) => label(doc.roles[role]) || role;

/** An element with text, never HTML: descriptions and messages are user data. */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// --- Reading the form -------------------------------------------------------------------

/** A `datetime-local` value as an RFC 3339 instant in the policy calendar's offset. */
function instant(value) {
  if (!value) return undefined;
  const seconds = value.length === 16 ? ':00' : '';
  return `${value}${seconds}${doc.calendar.utc_offset}`;
}

/** The report the fields describe. Empty optional fields are left out, empty required fields
 * too, so that the engine names them as missing. */
function readReport() {
  const value = (name) => form.elements[name].value.trim();
  const report = {};
  const set = (key, v) => {
    if (v !== undefined && v !== '') report[key] = v;
  };
  set('id', value('id'));
  set('project', value('project'));
  set('channel', value('channel'));
  set('description', form.elements.description.value);
  set('raised_at', instant(value('raised_at')));
  set('received_at', instant(value('received_at')));
  set('location', value('location'));
  set('category', value('category'));
  set('element', value('element'));
  const acceptedOn = value('project_facts.accepted_on');
  if (acceptedOn) report.project_facts = { accepted_on: acceptedOn };
  const contact = {};
  for (const key of ['name', 'phone', 'email']) {
    const v = value(`contact.${key}`);
    if (v) contact[key] = v;
  }
  report.contact = contact;
  const facts = {};
  for (const input of form.querySelectorAll('[name^="facts."]')) {
    const key = input.name.slice('facts.'.length);
    if (input.type === 'checkbox') {
      if (input.checked) facts[key] = true;
    } else if (input.value !== '') {
      facts[key] = Number(input.value);
    }
  }
  if (Object.keys(facts).length > 0) report.facts = facts;
  return report;
}

/** The same report with placeholders where the clerk has not finished, so that the suggestion
 * shows while typing; `null` when even that is refused. */
let previewed = null;
function provisional(report) {
  const base = { ...report, id: 'preview', project: 'preview', location: 'preview', contact: { phone: '00000' } };
  const tries = [
    base,
    { ...base, facts: undefined, received_at: undefined, category: undefined, element: undefined, project_facts: undefined },
  ];
  for (const attempt of tries) {
    try {
      const result = policy.classify(attempt);
      previewed = attempt;
      return result;
    } catch (e) {
      if (!(e instanceof CaseflowError)) throw e;
    }
  }
  return null;
}

// --- Validation messages ----------------------------------------------------------------

/** The element that shows a diagnostic: the field of its path, or of the nearest parent. */
function targetOf(path) {
  for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const node = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (node) return node;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
  }
  return null;
}

function isTouched(path) {
  return submitted || [...touched].some((p) => p.startsWith(path) || path.startsWith(p));
}

function showErrors(errors) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const general = [];
  for (const d of errors) {
    const target = targetOf(d.path);
    if (target && !isTouched(target.dataset.path)) continue;
    const known = strings[lang][`error.${d.code}`];
    const message = known ?? d.message;
    if (!target) {
      general.push(`${d.path}: ${message}`);
      continue;
    }
    const note = el('small', message, 'field-error');
    note.dataset.testid = `error ${d.path}`;
    note.title = `${d.code} at ${d.path}: ${d.message}`;
    note.setAttribute('role', 'alert');
    target.append(note);
    target.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  }
  $('form-errors').hidden = general.length === 0;
  $('form-errors').textContent = general.join('\n');
}

// --- Showing the suggestion -------------------------------------------------------------

/** The description with every span of evidence marked: characters are code points (what the
 * engine counts), so the text is split with Array.from, not indexed as UTF-16. */
function highlight(description, explanation) {
  const chars = Array.from(description ?? '');
  const marks = new Array(chars.length).fill('');
  const rank = { model: 1, negated: 2, category: 3, tier: 4, emergency: 5 };
  const mark = (start, end, kind) => {
    for (let i = start; i < end && i < chars.length; i++) {
      if ((rank[marks[i]] ?? 0) < rank[kind]) marks[i] = kind;
    }
  };
  const spans = (evidence, kind) => {
    for (const e of evidence) if (e.kind === 'text' || e.kind === 'quantity') mark(e.start, e.end, kind);
  };
  // The learned model's heaviest features, under the rules' marks: dotted, so both show.
  const model = explanation.model;
  if (model) {
    for (const f of [...model.category_features, ...model.tier_1_features]) {
      for (const s of f.spans) mark(s.start, s.end, 'model');
    }
  }
  for (const n of explanation.negated) mark(n.start, n.end, 'negated');
  for (const r of explanation.category.rules) spans(r.evidence, 'category');
  for (const r of explanation.tier.rules) spans(r.evidence, 'tier');
  for (const r of explanation.emergency.triggers) spans(r.evidence, 'emergency');
  const out = $('out-text');
  out.replaceChildren();
  let i = 0;
  while (i < chars.length) {
    let j = i;
    while (j < chars.length && marks[j] === marks[i]) j++;
    const text = chars.slice(i, j).join('');
    out.append(marks[i] ? el('mark', text, `ev-${marks[i]}`) : document.createTextNode(text));
    i = j;
  }
}

function rulesList(explanation) {
  const list = $('out-rules');
  list.replaceChildren();
  const item = (kind, text) => {
    const li = el('li', undefined, `rule ${kind}`);
    li.append(el('span', t(`rule.${kind}`), 'tag'), document.createTextNode(` ${text}`));
    list.append(li);
  };
  for (const r of explanation.category.rules) item('category', `${r.rule} (+${r.weight})`);
  for (const r of explanation.tier.rules) item('tier', `${r.rule} → ${r.tier}`);
  for (const r of explanation.emergency.triggers) item('emergency', `${r.rule} → ${r.level}`);
  for (const n of explanation.negated) item('negated', `${n.cue}…${n.text}`);
  const model = explanation.model;
  if (model) {
    const top = model.categories[0];
    const tier1 = model.tiers.find((x) => x.tier === 1);
    const features = model.category_features.slice(0, 4).map((f) => f.feature).join(' · ');
    item('model', `${top.category} ${top.probability} · P(1) ${tier1?.probability ?? 0} · ${features}`);
  }
}

/** The banner of a provisional tier 1: why, and who answers it. */
function reviewBanner(result) {
  const banner = $('out-review');
  const review = result?.review;
  banner.hidden = !review;
  banner.textContent = review
    ? t('review')
        .replace('{p}', review.tier_1_probability)
        .replace('{threshold}', review.threshold)
        .replace('{tier}', review.assessed_tier)
    : '';
}

/** `"3 working_days"` (or `{amount, unit}`) in words. */
function duration(d) {
  const [amount, unit] = typeof d === 'string' ? d.split(' ') : [d.amount, d.unit];
  return `${amount} ${t(`unit.${unit}`)}`;
}

/** An instant written by the engine (in the calendar's offset) as `2026-03-03 09:15`. */
const when = (instantText) => instantText.slice(0, 16).replace('T', ' ');

function routing(result) {
  const r = result.routing;
  const out = $('out-routing');
  out.replaceChildren();
  const row = (key, value) => {
    if (!value) return;
    const div = el('div');
    div.append(el('dt', t(key)), el('dd', value));
    out.append(div);
  };
  const roles = (list) => list.map(roleName).join(lang === 'zh' ? '、' : ', ');
  row('draftedBy', roles(r.plan.drafted_by));
  row('with', roles(r.plan.with));
  row('consult', r.plan.consult_departments.map((d) => t(`dept.${d}`)).join(lang === 'zh' ? '、' : ', '));
  if (r.plan_filed_only) row('filedWith', r.plan.filed_with ? roleName(r.plan.filed_with) : '');
  else row('approvedBy', roles(r.plan.approved_by));
  row(
    'verifiedBy',
    roles(r.verification.by) + (r.verification.report_required ? ` (${t('reportRequired')})` : ''),
  );
  row('records', r.records.map((k) => t(`record.${k}`)).join(lang === 'zh' ? '、' : ', '));
  if (r.emergency) row('commander', `${r.emergency.level} · ${label(r.emergency.commander)}`);
  if (r.service_request) row('serviceRequest', t('warranty.serviceRequest'));
}

/** The tier's deadlines; those that start at acceptance are also computed on the company
 * calendar for an acceptance at the contact deadline, the latest the policy allows. */
function deadlines(result, realInstants) {
  const list = $('out-deadlines');
  list.replaceChildren();
  const contact = result.routing.deadlines.find((d) => d.clock === 'contact_customer');
  for (const d of result.routing.deadlines) {
    const li = el('li');
    li.dataset.clock = d.clock;
    li.append(el('strong', t(`clock.${d.clock}`)));
    const span = `${d.repeats ? `${t('every')} ` : ''}${duration(d.duration)}, ${t(`start.${d.starts}`)}`;
    li.append(document.createTextNode(` ${span}`));
    if (realInstants && d.due) {
      li.append(el('span', `${t('due')} ${when(d.due)}`, 'due'));
    } else if (realInstants && contact?.due && d.starts === 'accepted' && !d.repeats) {
      try {
        const due = policy.deadline({ from: contact.due, add: d.duration }).due;
        li.append(el('span', `${t('ifAccepted')} ${when(due)}`, 'due later'));
      } catch (e) {
        if (!(e instanceof CaseflowError)) throw e;
      }
    }
    list.append(li);
  }
  const warnings = $('out-warnings');
  warnings.replaceChildren(...result.warnings.map((w) => el('li', w.message)));
}

/** The warranty answer (docs/policy.md §1.1) as a badge: within, outside or unknown, with the
 * element and the day its period ends or ended, and the reason beneath. */
function warranty(result) {
  const out = $('out-warranty');
  out.replaceChildren();
  const w = result.warranty;
  out.dataset.value = w ? w.status : '';
  out.dataset.decidedBy = w ? w.decided_by : '';
  if (!w) return;
  const elementName = (id) => label(doc.warranty?.elements?.[id]?.labels) || id;
  const state = w.decided_by === 'not_accepted' ? 'not_accepted' : w.status;
  const badge = el('strong', t(`warranty.${state}`), `badge ${w.status}`);
  const parts = [w.element ? elementName(w.element) : ''];
  if (w.ends_on) {
    parts.push(t(w.status === 'expired' ? 'warranty.ended' : 'warranty.until').replace('{date}', w.ends_on));
  }
  out.append(el('span', t('warranty'), 'label'), badge);
  const detail = parts.filter(Boolean).join(' · ');
  if (detail) out.append(el('span', detail, 'detail'));
  let note = t(`warranty.by.${w.decided_by}`);
  if (w.status === 'expired') note += ` · ${t('warranty.serviceRequest')}`;
  if (w.suggested.length > 0 && w.decided_by !== 'clerk') {
    const sep = lang === 'zh' ? '、' : ', ';
    const found = w.suggested.map((s) => {
      const words = [...new Set(s.evidence.filter((e) => e.text).map((e) => e.text))].join(sep);
      return w.suggested.length > 1 ? `${elementName(s.element)}: ${words}` : words;
    });
    note += ` · ${t('warranty.evidence')} ${found.join('; ')}`;
  }
  const small = el('small', note);
  small.title = w.reason;
  out.append(small);
}

/** On a phone the suggestion sits below the form: a bar at the bottom repeats its gist. */
function summary(result) {
  const bar = $('summary');
  bar.replaceChildren();
  if (!result) return;
  const category = label(doc.categories[result.category]?.labels) || result.category;
  bar.append(el('span', category), el('span', label(result.routing.labels), `tier-${result.tier}`));
  if (result.emergency) bar.append(el('span', `${t('emergency')} ${result.emergency}`, 'alert'));
  if (result.warranty?.status === 'expired') bar.append(el('span', t('warranty.expired'), 'alert'));
}

/** For an emergency, its commander and the action clocks the engine would start if the report
 * were recorded when received (or raised): `record` is pure, so the form asks it and lists the
 * emergency record's actions with their due instants (the conditional ones only where they
 * hold). While the clerk is still typing it asks with the placeholders the suggestion was made
 * with (`previewed`); when even that is refused it lists the level's actions with their times
 * from the policy. */
function emergencyPlan(result, report, isProvisional) {
  const out = $('out-emergency-plan');
  out.replaceChildren();
  $('emergency-plan').hidden = !result?.emergency;
  if (!result?.emergency) return;
  const level = doc.emergency.levels[result.emergency];
  const spec = (id) => level.actions.find((a) => a.id === id);
  const name = (id) =>
    id.startsWith('status_update#') ? `${t('statusUpdate')} ${id.slice('status_update#'.length)}` : label(spec(id)?.labels) || id;
  const head = el('li', `${t('commander')}: ${label(level.commander)}`, 'commander');
  out.append(head);
  let plan = null;
  const recorded = isProvisional ? previewed : report;
  const received = recorded?.received_at ?? recorded?.raised_at;
  if (received) {
    try {
      const actor = { id: 'intake-form', roles: ['intake_clerk'] };
      const command = { type: 'record', actor, report: recorded };
      plan = policy.record({ command, now: received }).case.emergency_plan;
    } catch (e) {
      if (!(e instanceof CaseflowError)) throw e;
    }
  }
  if (plan) {
    for (const a of plan.actions) {
      const li = el('li');
      li.dataset.action = a.id;
      li.append(el('strong', name(a.id)), el('span', `${t('due')} ${when(a.due)}`, 'due'));
      out.append(li);
    }
    return;
  }
  for (const a of level.actions) {
    const li = el('li');
    li.dataset.action = a.id;
    li.append(el('strong', label(a.labels)), document.createTextNode(` ${duration(a.due)}`));
    if (a.only_when) li.append(el('small', ` ${t('whenApplies')}`));
    out.append(li);
  }
  const li = el('li');
  li.dataset.action = 'status_update';
  li.append(el('strong', t('statusUpdate')), document.createTextNode(` ${t('every')} ${duration(level.status_update_every)}`));
  out.append(li);
}

function render(result, report, isProvisional) {
  const none = '—';
  $('result').classList.toggle('provisional', isProvisional);
  $('out-provisional').hidden = !(isProvisional && result);
  reviewBanner(result);
  summary(result);
  if (!result) {
    for (const id of ['out-category', 'out-tier', 'out-emergency']) $(id).textContent = none;
    for (const id of ['out-text', 'out-rules', 'out-routing', 'out-deadlines', 'out-warnings', 'out-warranty']) {
      $(id).replaceChildren();
    }
    $('out-warranty').dataset.value = '';
    emergencyPlan(null);
    return;
  }
  const category = $('out-category');
  category.replaceChildren(el('span', label(doc.categories[result.category]?.labels) || result.category));
  category.dataset.value = result.category;
  const why = result.explanation.category;
  let note = t(`decided.${why.decided_by}`);
  if (why.disagrees_with_clerk) note += ` · ${t('disagrees')} ${label(doc.categories[why.engine_choice]?.labels)}`;
  category.append(el('small', note));
  const tier = $('out-tier');
  tier.textContent = label(result.routing.labels);
  tier.dataset.value = String(result.tier);
  tier.className = `tier-${result.tier}`;
  const source = result.explanation.tier.decided_by;
  tier.append(el('small', source.by === 'rule' ? source.rule : t(`tierBy.${source.by}`)));
  const emergency = $('out-emergency');
  emergency.textContent = result.emergency ?? t('none');
  emergency.dataset.value = result.emergency ?? '';
  emergency.className = result.emergency ? 'alert' : '';
  warranty(result);
  highlight(report.description, result.explanation);
  rulesList(result.explanation);
  routing(result);
  deadlines(result, !isProvisional || report.raised_at !== undefined);
  emergencyPlan(result, report, isProvisional);
}

// --- Wiring -----------------------------------------------------------------------------

let updates = 0;
function update() {
  const report = readReport();
  let result = null;
  let errors = [];
  let isProvisional = false;
  try {
    result = policy.classify(report);
  } catch (e) {
    if (!(e instanceof CaseflowError)) throw e;
    errors = e.errors;
    result = provisional(report);
    isProvisional = true;
  }
  showErrors(errors);
  $('valid').hidden = !(submitted && errors.length === 0);
  render(result, report, isProvisional);
  document.body.dataset.updates = String(++updates);
}

function translate() {
  document.documentElement.lang = lang;
  document.title = `${t('title')} · caseflow`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  $('lang').textContent = t('switchTo');
  const select = $('category-select');
  const chosen = select.value;
  select.replaceChildren(el('option', t('categoryAuto')));
  select.firstChild.value = '';
  for (const [id, spec] of Object.entries(doc.categories)) {
    const option = el('option', label(spec.labels));
    option.value = id;
    select.append(option);
  }
  select.value = chosen;
  const elements = $('element-select');
  const element = elements.value;
  elements.replaceChildren(el('option', t('elementAuto')));
  elements.firstChild.value = '';
  for (const [id, spec] of Object.entries(doc.warranty?.elements ?? {})) {
    const option = el('option', label(spec.labels));
    option.value = id;
    elements.append(option);
  }
  elements.value = element;
  const summary = policy.summary();
  $('policy-name').textContent = `${summary.name} · ${summary.version}`;
}

function usePolicy(next) {
  policy?.free();
  policy = next;
  doc = policy.document();
  translate();
  update();
}

async function loadPolicyFile(file) {
  const banner = $('policy-errors');
  let next;
  try {
    next = new Policy(await file.text());
  } catch (e) {
    if (!(e instanceof CaseflowError)) throw e;
    banner.replaceChildren(el('strong', t('policyRefused')));
    const list = el('ul');
    for (const d of e.errors) list.append(el('li', `${d.path}: ${d.message}`));
    banner.append(list);
    banner.hidden = false;
    return;
  }
  banner.hidden = true;
  usePolicy(next);
  showFindings(policy.analyzePolicy());
  $('status').textContent = `${t('policyLoaded')}: ${file.name}`;
  $('status').hidden = false;
}

// What the engine's analysis of a loaded policy found (issue 14): each finding's severity, code,
// the policy member's JSON path, its message and, for the workflow, the counterexample path.
// A policy with findings still loads: the author reads them and decides.
function showFindings(analysis) {
  const box = $('policy-findings');
  const { findings } = analysis;
  box.classList.toggle('ok', findings.length === 0);
  if (findings.length === 0) {
    box.replaceChildren(el('strong', t('findingsNone')));
    box.hidden = false;
    return;
  }
  const list = el('ul');
  for (const f of findings) {
    const head = `${t(`severity.${f.severity}`)} · ${f.code} · ${f.path}`
      + (f.tier ? ` · ${t('findingTier')} ${f.tier}` : '');
    const item = el('li', `${head}: ${f.message}`, `finding-${f.severity}`);
    item.dataset.code = f.code;
    item.dataset.path = f.path;
    if (f.counterexample?.length) {
      const path = f.counterexample.map((s) => `${s.command} (${s.by.join(', ')}) → ${s.state}`).join(' ⟶ ');
      item.append(el('span', `${t('counterexample')}: ${path}`, 'counterexample'));
    }
    list.append(item);
  }
  box.replaceChildren(el('strong', `${t('findingsSome')} (${findings.length})`), list);
  box.hidden = false;
}

async function main() {
  await init();
  usePolicy(new Policy());
  $('status').hidden = true;
  const changed = (event) => {
    const field = event.target.closest('[data-path]');
    if (field) touched.add(field.dataset.path);
    update();
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitted = true;
    update();
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    translate();
    update();
  });
  $('policy-file').addEventListener('change', (event) => {
    const [file] = event.target.files;
    if (file) loadPolicyFile(file);
    event.target.value = '';
  });
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('status').textContent = `caseflow: ${e.message}`;
  $('status').classList.add('error');
  throw e;
});
