// A 가치데이 season in a real browser, on the demo program: a visitor finds the confirmed broadcast
// on the public page and its calendar; 동부떡집's owner opens the broadcast waiting at the readiness
// gate on a phone and follows a "고치러 가기" link; the operator cannot confirm it until the
// checklist is done and the channel its 인절미 is not ready for is dropped, then confirms it and
// the public page lists it; the operator opens a new call (a wrong date first), the shop applies
// on its phone, reviewers are assigned and score it, and a reviewer sees the other's scores only
// after giving their own. Screenshots at 360 px and at desktop width.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot, signIn, startServer,
} from './harness.mjs';

const skip = missingPrerequisite();

/** Clicks a form's button and waits for the page the server answers with. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** The date `days` from today in Seoul, as a date input takes it. */
function seoulDay(days) {
  const seoul = new Date(Date.now() + 9 * 3600_000 + days * 86_400_000);
  return seoul.toISOString().slice(0, 10);
}

describe('a 가치데이 season in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  const passwords = {};

  before(async () => {
    const dataDir = freshDataDir('live');
    const printed = gachi(['demo', '--data-dir', dataDir]);
    for (const match of printed.matchAll(/^\s+(\S+@gachi\.demo)\s+(\S+)/gm)) passwords[match[1]] = match[2];
    assert.ok(passwords['operator@gachi.demo'] && passwords['dongbu@gachi.demo'], printed);
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('gated, fixed, confirmed, announced; a new call applied to and reviewed', async () => {
    // A visitor sees the one confirmed broadcast of the winter season and can add it to a calendar.
    const visitor = await phone(browser);
    await visitor.goto(`${server.url}/live`);
    const upcoming = visitor.getByTestId('live-upcoming').locator('[data-testid^="live-broadcast-"]');
    assert.equal(await upcoming.count(), 1);
    assert.match(await upcoming.first().innerText(), /한옥식당/);
    assert.match(await visitor.getByTestId('live-replays').innerText(), /동부떡집/);
    await assertFitsWidth(visitor, assert);
    await screenshot(visitor, 'live-public-360');
    const ics = await (await fetch(`${server.url}/live.ics`)).text();
    assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 1);

    // 동부떡집's owner finds the broadcast and the one list of what is missing.
    const owner = await phone(browser);
    await signIn(owner, server.url, 'dongbu@gachi.demo', passwords['dongbu@gachi.demo']);
    await owner.goto(`${server.url}/live/calls`);
    const mine = owner.getByTestId('live-my-broadcasts').locator('[data-testid^="broadcast-row-"] a');
    assert.ok(await mine.count() >= 1);
    await Promise.all([owner.waitForURL(/\/live\/broadcasts\/\d+$/), mine.last().click()]);
    const broadcastUrl = owner.url();
    assert.match(broadcastUrl, /\/live\/broadcasts\/\d+$/);
    const gate = owner.getByTestId('live-gate');
    const failing = gate.locator('li[data-passed="false"]');
    assert.ok(await failing.count() >= 2, await gate.innerText());
    assert.equal(await gate.locator('[data-testid="gate-rehearsal"]').getAttribute('data-passed'), 'false');
    const coupangFix = gate.locator('a[data-testid$="-coupang"]').first();
    await assertFitsWidth(owner, assert);
    await screenshot(owner, 'live-gate-merchant-360');
    await Promise.all([owner.waitForURL(/\/products\/\d+#readiness$/), coupangFix.click()]);
    await owner.locator('#readiness').waitFor();

    // The operator, at a desk, is refused while the gate fails, then prepares and confirms.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const ops = await desk.newPage();
    await signIn(ops, server.url, 'operator@gachi.demo', passwords['operator@gachi.demo']);
    await ops.goto(broadcastUrl);
    await submit(ops, ops.getByTestId('broadcast-confirm'));
    await ops.getByTestId('live-error').first().waitFor();
    assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'scheduled');
    for (const item of ['discount', 'shipping', 'rehearsal']) await ops.getByTestId(`check-${item}`).check();
    await ops.locator('input[name="channels"][value="coupang_live"]').uncheck();
    await submit(ops, ops.getByTestId('preparation-save'));
    await ops.getByTestId('live-alert').waitFor();
    assert.equal(await ops.getByTestId('live-gate').locator('li[data-passed="false"]').count(), 0);
    await screenshot(ops, 'live-gate-operator-desktop');
    await submit(ops, ops.getByTestId('broadcast-confirm'));
    await ops.getByTestId('live-alert').waitFor();
    assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'confirmed');

    // The host's cue sheet reads on a phone.
    await owner.goto(`${broadcastUrl}/cue`);
    await assertFitsWidth(owner, assert);
    await screenshot(owner, 'live-cue-360');

    await visitor.reload();
    assert.equal(await upcoming.count(), 2);

    // A new call: a closing date after the season starts is refused beside the form, then opened.
    await ops.goto(`${server.url}/live/calls`);
    await ops.getByLabel('이름', { exact: true }).fill('2027 봄 가치데이');
    await ops.getByLabel('시즌 시작일').fill(seoulDay(30));
    await ops.getByLabel('시즌 종료일').fill(seoulDay(60));
    await ops.getByLabel('신청 마감일').fill(seoulDay(45));
    await ops.getByLabel('심사위원 이메일').fill('operator@gachi.demo, md@gachi.demo');
    await submit(ops, ops.getByTestId('live-call-create'));
    await ops.getByTestId('live-error').first().waitFor();
    await ops.getByLabel('신청 마감일').fill(seoulDay(14));
    await submit(ops, ops.getByTestId('live-call-create'));
    await ops.getByTestId('live-call-head').waitFor();
    const callUrl = ops.url();

    // The shop applies on its phone with two products and a preferred week.
    await owner.goto(callUrl);
    const apply = owner.getByTestId('live-apply');
    const products = apply.locator('input[name="product_ids"]');
    assert.ok(await products.count() >= 1);
    await products.first().check();
    await apply.locator('input[name="preferred_weeks"]').first().fill(seoulDay(35));
    await owner.getByLabel('하고 싶은 말').fill('설 선물세트를 처음 선보이겠습니다.');
    await submit(owner, owner.getByTestId('live-apply-submit'));
    await owner.getByTestId('live-alert').waitFor();
    await assertFitsWidth(owner, assert);
    await screenshot(owner, 'live-applied-360');

    // Reviewers are assigned; the operator scores first, the MD on a phone sees both after theirs.
    await ops.goto(callUrl);
    await submit(ops, ops.getByTestId('live-assign'));
    await ops.getByTestId('live-alert').waitFor();
    const opsReview = ops.locator('[data-testid^="review-submit-"]').first();
    const applicationId = (await opsReview.getAttribute('data-testid')).replace('review-submit-', '');
    const form = ops.getByTestId(`review-${applicationId}`);
    for (const select of await form.locator('select').all()) await select.selectOption('5');
    await submit(ops, opsReview);
    await ops.getByTestId(`review-own-${applicationId}`).waitFor();

    const md = await phone(browser);
    await signIn(md, server.url, 'md@gachi.demo', passwords['md@gachi.demo']);
    await md.goto(callUrl);
    assert.equal(await md.getByTestId(`review-others-${applicationId}`).count(), 0,
      'a reviewer must not see the other scores before giving their own');
    const mdForm = md.getByTestId(`review-${applicationId}`);
    for (const select of await mdForm.locator('select').all()) await select.selectOption('2');
    await submit(md, md.getByTestId(`review-submit-${applicationId}`));
    await md.getByTestId(`review-others-${applicationId}`).waitFor();
    await assertFitsWidth(md, assert);
    await screenshot(md, 'live-review-360');

    // The operator sees the weighted score and the disagreement flag (5 against 2).
    await ops.goto(callUrl);
    const row = ops.getByTestId(`application-row-${applicationId}`);
    const rowText = await row.innerText();
    assert.match(rowText, /3\.50/, rowText);
    await ops.getByTestId(`disagreement-${applicationId}`).waitFor();
    await screenshot(ops, 'live-call-operator-desktop');
    await desk.close();
  });
});
