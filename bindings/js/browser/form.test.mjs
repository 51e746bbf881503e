// The intake form in Debian's Chromium, headless, driven by playwright-core (which never
// downloads a browser), against the form served on localhost by serve.mjs. Saves screenshots of
// the filled form (and of its warranty badge) to test-artifacts/ at the repository root.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Policy } from 'caseflow-wasm';
import { serve } from '../serve.mjs';
import { launchChromium } from './chromium.mjs';

const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
let server;
let browser;

before(async () => {
  server = await serve(0);
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A new page on the form, once the engine is loaded; page errors fail the test. */
async function open(viewport = { width: 1280, height: 900 }, query = '') {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`${server.url}${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  page.problems = problems;
  return page;
}

const text = (page, testid) => page.getByTestId(testid).innerText();
const value = (page, testid) => page.getByTestId(testid).getAttribute('data-value');

test('typing a report shows the classification, the evidence, routing and deadlines as it changes', async () => {
  const page = await open();
  await page.getByTestId('description').fill('卫生间顶棚渗水');
  await page.waitForFunction(() => document.querySelector('[data-testid=tier]').dataset.value === '2');
  assert.equal(await value(page, 'category'), 'quality');
  assert.equal(await value(page, 'emergency'), '');
  assert.equal(await page.getByTestId('emergency-plan').isVisible(), false);

  // Typed key by key, as a clerk would: the suggestion follows.
  await page.getByTestId('description').fill('');
  await page.getByTestId('description').pressSequentially('阳台护栏松动，存在安全隐患');
  await page.waitForFunction(() => document.querySelector('[data-testid=tier]').dataset.value === '1');
  assert.equal(await value(page, 'emergency'), 'III');
  assert.match(await text(page, 'tier'), /一级问题/);
  // The evidence is highlighted in the description.
  const marked = await page.locator('[data-testid=evidence] mark').allInnerTexts();
  assert.ok(marked.some((m) => m.includes('安全隐患')), `marked: ${marked}`);
  // Routing and deadlines of a tier-1 case.
  assert.match(await text(page, 'routing'), /公司领导/);
  const deadlines = await text(page, 'deadlines');
  assert.match(deadlines, /联系客户/);
  assert.match(deadlines, /截止 2026-03-03 09:15/);
  // The emergency's commander and the action clocks recording it would start (level III: the
  // project manager; notify within 2 hours, the safety measures since a hazard is named).
  const plan = page.getByTestId('emergency-plan');
  assert.match(await plan.innerText(), /项目经理/);
  const due = async (action) => plan.locator(`li[data-action="${action}"]`).innerText();
  assert.match(await due('notify_command'), /截止 2026-03-02 11:15/);
  assert.match(await due('safety_measures'), /截止 2026-03-03 09:15/);
  assert.match(await due('status_update#1'), /截止 2026-03-04 09:15/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a bad field shows the engine\'s validation message beside it', async () => {
  const page = await open();
  await page.getByTestId('description').fill('客厅墙面有划痕');
  await page.getByTestId('phone').fill('call me');
  const error = page.getByTestId('error $.contact.phone');
  await error.waitFor();
  assert.equal(await error.innerText(), '电话号码格式不正确');
  assert.equal(await page.getByTestId('phone').getAttribute('aria-invalid'), 'true');
  // The suggestion still shows while the report is incomplete.
  assert.equal(await value(page, 'tier'), '3');
  // Checking the whole report names the missing location too; fixing both clears them.
  await page.getByRole('button', { name: '检查记录' }).click();
  await page.getByTestId('error $.location').waitFor();
  await page.getByTestId('phone').fill('13800000000');
  await page.locator('[name=location]').fill('5号楼1203客厅');
  await page.getByTestId('valid').waitFor();
  assert.equal(await page.locator('.field-error').count(), 0);
  await page.close();
});

test('the language switch relabels the form and the suggestion', async () => {
  const page = await open();
  await page.getByTestId('description').fill('阳台护栏松动，存在安全隐患');
  await page.waitForFunction(() => document.querySelector('[data-testid=tier]').dataset.value === '1');
  await page.getByTestId('lang').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('h1').innerText(), 'Customer issue report');
  assert.match(await text(page, 'tier'), /Tier 1/);
  assert.match(await text(page, 'routing'), /Company leadership/);
  assert.match(await text(page, 'deadlines'), /Contact the customer/);
  await page.getByTestId('lang').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  assert.match(await text(page, 'tier'), /一级问题/);
  await page.close();
});

test('a policy file replaces the default; a bad one is refused with its paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caseflow-form-'));
  const own = new Policy().document();
  own.name = '某建设集团客户问题处理制度';
  own.version = '2027.1';
  own.categories.quality.labels = { zh: '工程质量', en: 'Build quality' };
  own.tiers['2'].labels = { zh: '二级（一般）', en: 'Tier 2 (ordinary)' };
  writeFileSync(join(dir, 'own.json'), JSON.stringify(own));
  const bad = structuredClone(own);
  bad.tiers['2'].deadlines.plan = '-3 working_days';
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
  // Loads, but breaks §4.3: tier 1's plan approved by the project manager, not the leadership.
  const lax = structuredClone(own);
  lax.version = '2027.2';
  lax.tiers['1'].plan.approved_by = ['project_manager'];
  writeFileSync(join(dir, 'lax.json'), JSON.stringify(lax));

  const page = await open();
  await page.getByTestId('description').fill('卫生间顶棚渗水');
  await page.waitForFunction(() => document.querySelector('[data-testid=tier]').dataset.value === '2');
  assert.match(await text(page, 'category'), /质量问题/);

  await page.getByTestId('policy-file').setInputFiles(join(dir, 'own.json'));
  await page.waitForFunction(() => document.querySelector('[data-testid=policy-name]').textContent.includes('2027.1'));
  assert.match(await text(page, 'category'), /工程质量/);
  assert.match(await text(page, 'tier'), /二级（一般）/);
  // The engine's analysis of the loaded policy: nothing to report on the company's own labels.
  assert.match(await text(page, 'policy-findings'), /未发现问题/);

  await page.getByTestId('policy-file').setInputFiles(join(dir, 'lax.json'));
  await page.waitForFunction(() => document.querySelector('[data-testid=policy-name]').textContent.includes('2027.2'));
  const finding = page.locator('[data-testid=policy-findings] li[data-code=tier1_path_skips_approval]');
  assert.equal(await finding.getAttribute('data-path'), '$.tiers.1.plan.approved_by');
  assert.match(await finding.textContent(), /customer_confirm \(customer\) → closed/, 'the counterexample path ends closed');
  await page.getByTestId('policy-findings').screenshot({ path: join(artifacts, 'form-policy-findings.png') });

  await page.getByTestId('policy-file').setInputFiles(join(dir, 'bad.json'));
  await page.getByTestId('policy-errors').waitFor();
  assert.match(await text(page, 'policy-errors'), /\$\.tiers\.2\.deadlines\.plan/);
  assert.match(await text(page, 'category'), /工程质量/, 'the loaded policy stays in force');
  await page.close();
});

test('the acceptance date and the element give a clear warranty badge (screenshot)', async () => {
  const page = await open();
  const badge = page.getByTestId('warranty');
  const status = () => badge.getAttribute('data-value');
  const until = (value) =>
    page.waitForFunction((v) => document.querySelector('[data-testid=warranty]').dataset.value === v, value);
  // No acceptance date: within the policy's scope, and said so.
  await page.getByTestId('description').fill('卫生间顶棚渗水');
  await until('within');
  assert.equal(await badge.getAttribute('data-decided-by'), 'not_accepted');
  assert.match(await badge.innerText(), /尚未竣工验收/);
  // Accepted in 2020: waterproofing's five years ended on 2025-06-30; a service request.
  await page.getByTestId('accepted-on').fill('2020-06-30');
  await until('expired');
  assert.match(await badge.innerText(), /已过保修期/);
  assert.match(await badge.innerText(), /防水/);
  assert.match(await badge.innerText(), /已于 2025-06-30 到期/);
  assert.match(await text(page, 'routing'), /按服务请求处理/);
  // Accepted in 2023: within until 2028-01-01, the evidence named.
  await page.getByTestId('accepted-on').fill('2023-01-01');
  await until('within');
  assert.match(await badge.innerText(), /保修期内/);
  assert.match(await badge.innerText(), /保修至 2028-01-01/);
  assert.match(await badge.innerText(), /渗水/);
  assert.doesNotMatch(await text(page, 'routing'), /服务请求/);
  // The clerk's element is honoured: decoration's two years ended on 2025-01-01.
  await page.getByTestId('element').selectOption('decoration');
  await until('expired');
  assert.equal(await badge.getAttribute('data-decided-by'), 'clerk');
  assert.match(await badge.innerText(), /装修工程/);
  assert.match(await badge.innerText(), /2025-01-01/);
  // No element in the text and none named, ten years on: unknown, not the shortest period.
  await page.getByTestId('element').selectOption('');
  await page.getByTestId('description').fill('小区门口的路灯一直不亮');
  await page.getByTestId('accepted-on').fill('2016-03-01');
  await until('unknown');
  assert.match(await badge.innerText(), /无法判断/);
  assert.match(await badge.innerText(), /请指定部位/);
  // In English too.
  await page.getByTestId('lang').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await badge.innerText(), /Cannot tell/);
  await page.getByTestId('lang').click();
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  // The screenshot shows an outside-warranty leak recorded as a service request.
  await page.locator('[name=id]').fill('F-2026-0402');
  await page.getByTestId('description').fill('卫生间顶棚渗水，墙面发霉');
  await page.getByTestId('accepted-on').fill('2020-06-30');
  await page.locator('[name=location]').fill('3号楼2单元801卫生间');
  await page.getByTestId('phone').fill('13800000000');
  await until('expired');
  await page.screenshot({ path: join(artifacts, 'form-warranty.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the filled form, on a desktop and on a phone-sized screen (screenshots)', async () => {
  for (const [name, viewport] of [
    ['form.png', { width: 1280, height: 900 }],
    ['form-phone.png', { width: 390, height: 844 }],
  ]) {
    const page = await open(viewport);
    await page.locator('[name=id]').fill('F-2026-0318');
    await page.locator('[name=channel]').selectOption('on_site');
    await page.getByTestId('description').fill('10号楼601阳台护栏松动，存在安全隐患，业主担心孩子玩耍时发生意外；无人受伤。');
    await page.locator('[name=location]').fill('10号楼601阳台');
    await page.locator('[name="contact.name"]').fill('王女士');
    await page.getByTestId('phone').fill('138 0000 0000');
    await page.locator('[name="facts.households_affected"]').fill('1');
    await page.getByRole('button', { name: '检查记录' }).click();
    await page.getByTestId('valid').waitFor();
    assert.equal(await value(page, 'emergency'), 'III');
    // On a phone a bar at the bottom repeats the suggestion while the clerk types above.
    const summary = page.getByTestId('summary');
    assert.equal(await summary.isVisible(), viewport.width < 900, `${name}: the summary bar`);
    if (viewport.width < 900) assert.match(await summary.innerText(), /一级问题/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
    // The phone shot is what a phone shows: the top of the form, the summary bar at the bottom
    // (a full-page capture would paint the fixed bar in the middle of the page).
    const phone = viewport.width < 900;
    if (phone) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, name), fullPage: !phone });
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('an unsure model shows a provisional tier 1 with its review banner and its evidence (screenshot)', async () => {
  const page = await open();
  // S-08 of the public samples: the rules say tier 3; the model is unsure.
  await page.getByTestId('description').fill('现场施工人员态度恶劣，对业主出言不逊');
  await page.getByTestId('review').waitFor();
  assert.equal(await value(page, 'tier'), '1');
  const banner = await text(page, 'review');
  assert.match(banner, /暂定一级/);
  assert.match(banner, /规则评为 3 级/);
  assert.match(await text(page, 'tier'), /待复核/);
  // The model's features are marked in the description, beside the rules' evidence.
  assert.ok((await page.locator('[data-testid=evidence] mark.ev-model').count()) > 0);
  await page.screenshot({ path: join(artifacts, 'form-review.png'), fullPage: true });
  // A report the model is sure of has no banner.
  await page.getByTestId('description').fill('卫生间顶棚渗水');
  await page.waitForFunction(() => document.querySelector('[data-testid=tier]').dataset.value === '2');
  assert.equal(await page.getByTestId('review').isHidden(), true);
  assert.deepEqual(page.problems, []);
  await page.close();
});
