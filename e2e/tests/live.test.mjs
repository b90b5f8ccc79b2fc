// 가치데이 live commerce in a real browser.
//
// A season from the call to the public page, on a fresh program: the operator keeps a studio and
// a show host and opens a call simulcast to Coupang Live (a wrong closing date first); two shops
// selling car phone holders apply (one on its phone); the operator and an MD review, the MD seeing
// the operator's scores only after giving their own; the operator closes applications early,
// selects and schedules; one shop's broadcast confirms, the other's is held at the readiness gate
// because its Coupang seller account is not set up — its owner follows the linked item on a
// phone, fills the account in, and the broadcast confirms; the public page and calendar list both.
//
// Results on the demo program: 동부떡집's autumn broadcast aired without its figures; the operator
// enters them and the dashboard's broadcasts-held figure moves.
//
// Screenshots at 360 px and at desktop width.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, repo, screenshot, signIn,
  startServer,
  checksum, follow, submit,
} from './harness.mjs';

const skip = missingPrerequisite();

/** The date `days` from today in Seoul, as a date input takes it. */
function seoulDay(days) {
  return new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function desktop(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
  return context.newPage();
}

/** A Coupang seller account as the Wing seller office shows it. */
const COUPANG_ACCOUNT = {
  vendor_id: 'A00012345',
  vendor_user_id: 'phone_wing',
  access_key: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
  secret_key: '0123456789abcdef0123456789abcdef01234567',
  return_center_code: '1000012345',
  return_charge_name: '반품 담당',
  company_contact_number: '053-123-4567',
  return_zip_code: '41911',
  return_address: '대구광역시 중구 동성로 10',
  return_address_detail: '2층',
  outbound_shipping_place_code: '12345678',
};

async function fillCoupangAccount(page, baseUrl) {
  await page.goto(`${baseUrl}/my-shop/markets`);
  const coupang = page.getByTestId('market-coupang');
  await coupang.locator('summary').click();
  for (const [name, value] of Object.entries(COUPANG_ACCOUNT)) await coupang.locator(`[name="${name}"]`).fill(value);
  await submit(page, coupang.getByTestId('market-save-coupang'));
  await page.getByTestId('markets-saved').waitFor();
}

describe('가치데이 in headless Chromium', { skip: skip ?? false }, () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('a season from the call to the public page, through the readiness gate', async () => {
    const dataDir = freshDataDir('live-season');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '가치데이 운영팀'], '운영팀비밀번호12\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'md@coupang.kr', '--role', 'md', '--name', '쿠팡 박MD'], '엠디비밀번호1234\n');
    // Coupang's category tree as its API hands it out, and its own metadata of the phone-holder
    // category (notice items, purchase options), loaded by the operator.
    const tree = `${dataDir}/coupang-tree.json`;
    writeFileSync(tree, JSON.stringify({ code: 'SUCCESS', data: { displayCategoryCode: 0, name: 'ROOT', status: 'ACTIVE', child: [
      { displayCategoryCode: 78000, name: '자동차용품', status: 'ACTIVE', child: [
        { displayCategoryCode: 78877, name: '스마트폰 거치대', status: 'ACTIVE', child: [] }] }] } }));
    gachi(['channels', 'import-categories', '--data-dir', dataDir, '--channel', 'coupang', tree]);
    gachi(['channels', 'import-category-meta', '--data-dir', dataDir, '--channel', 'coupang', '--code', '78877',
      `${repo}/crates/channels/fixtures/coupang-meta-78877.json`]);
    const shops = [];
    for (const [k, number] of ['5148112345', '5148167890'].entries()) {
      const email = `phone${k}@daegu.kr`;
      gachi(['user', 'create', '--data-dir', dataDir, '--email', email, '--role', 'merchant', '--name', `거치대${k} 사장님`], '가게사장비밀번호1\n');
      const token = gachi(['token', 'create', '--data-dir', dataDir, '--email', email]).trim().split(/\s+/).find((w) => w.startsWith('gachi_'));
      shops.push({ email, token, number });
    }
    const server = await startServer(dataDir, ['--public-url', 'https://gachi.example.kr']);
    try {
      const fixture = JSON.parse(readFileSync(`${repo}/crates/channels/fixtures/phone-holder.json`, 'utf8'));
      for (const [k, shop] of shops.entries()) {
        shop.api = (method, path, body) => fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${shop.token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const created = await shop.api('POST', '/api/v1/merchants', {
          name: `대구 카라이프 ${k + 1}호점`, business_number: checksum(shop.number.slice(0, 9)), phone: '053-123-4567',
          region_code: '27110', industry_code: 'G20202',
        });
        assert.equal(created.status, 201, await created.text());
        const product = await shop.api('POST', '/api/v1/products', { ...fixture, sku: `HOLDER-${k}` });
        const text = await product.text();
        assert.equal(product.status, 201, text);
        shop.productId = JSON.parse(text).id;
        shop.name = `대구 카라이프 ${k + 1}호점`;
      }

      // The operator keeps a studio and a host, at a desk.
      const ops = await desktop(browser);
      await signIn(ops, server.url, 'ops@program.kr', '운영팀비밀번호12');
      await ops.goto(`${server.url}/live/studios`);
      await ops.locator('#st-name').fill('대구 라이브 스튜디오');
      await ops.locator('#st-place').fill('대구 중구 소상공인 지원센터 2층');
      await ops.locator('#st-times').fill('11:00, 15:00');
      await submit(ops, ops.locator('form:has(input[value="studio"]) button[type="submit"]'));
      await ops.locator('#h-name').fill('최유리 쇼호스트');
      await ops.locator('#h-cat').fill('소매');
      await ops.locator('#h-days').fill('월,화,수,목,금,토,일');
      await submit(ops, ops.locator('form:has(input[value="host"]) button[type="submit"]'));
      assert.match(await ops.locator('main').innerText(), /최유리 쇼호스트/);

      // A call simulcast to Coupang Live; a closing date after the season starts is refused.
      await ops.goto(`${server.url}/live/calls`);
      await ops.getByLabel('이름', { exact: true }).fill('2027 대구 가치데이');
      await ops.getByLabel('시즌 시작일').fill(seoulDay(10));
      await ops.getByLabel('시즌 종료일').fill(seoulDay(40));
      await ops.getByLabel('신청 마감일').fill(seoulDay(20));
      await ops.locator('input[name="channels"][value="coupang_live"]').check();
      await ops.getByLabel('심사위원 이메일').fill('ops@program.kr, md@coupang.kr');
      await submit(ops, ops.getByTestId('live-call-create'));
      await ops.getByTestId('live-error').first().waitFor();
      await ops.getByLabel('신청 마감일').fill(seoulDay(5));
      await submit(ops, ops.getByTestId('live-call-create'));
      await ops.getByTestId('live-call-head').waitFor();
      const callUrl = ops.url();
      const callId = callUrl.split('/').pop();

      // The first shop applies on its phone; the second through its seller tool.
      const owner0 = await phone(browser);
      await signIn(owner0, server.url, shops[0].email, '가게사장비밀번호1');
      await owner0.goto(callUrl);
      await owner0.getByTestId('live-apply').locator('input[name="product_ids"]').first().check();
      await owner0.getByTestId('live-apply').locator('input[name="preferred_weeks"]').first().fill(seoulDay(14));
      await owner0.getByLabel('하고 싶은 말').fill('운전하며 한 손으로 끼우는 모습을 보여 드리겠습니다.');
      await submit(owner0, owner0.getByTestId('live-apply-submit'));
      await owner0.getByTestId('live-alert').waitFor();
      await assertFitsWidth(owner0, assert);
      await screenshot(owner0, 'live-applied-360');
      const applied = await shops[1].api('POST', `/api/v1/live/calls/${callId}/applications`, { product_ids: [shops[1].productId] });
      assert.equal(applied.status, 201, await applied.text());

      // Reviewers: the operator scores both, the MD on a phone sees the other scores only after.
      await ops.goto(callUrl);
      await submit(ops, ops.getByTestId('live-assign'));
      await ops.getByTestId('live-alert').waitFor();
      for (const form of await ops.locator('[data-testid^="review-submit-"]').all()) {
        const id = (await form.getAttribute('data-testid')).replace('review-submit-', '');
        for (const select of await ops.getByTestId(`review-${id}`).locator('select').all()) await select.selectOption('5');
        await submit(ops, ops.getByTestId(`review-submit-${id}`));
        await ops.getByTestId(`review-own-${id}`).waitFor();
      }
      const md = await phone(browser);
      await signIn(md, server.url, 'md@coupang.kr', '엠디비밀번호1234');
      await md.goto(callUrl);
      const mdForms = md.locator('[data-testid^="review-submit-"]');
      assert.equal(await mdForms.count(), 2);
      assert.equal(await md.locator('[data-testid^="review-others-"]').count(), 0,
        'a reviewer must not see the other scores before giving their own');
      for (const id of await mdForms.evaluateAll((buttons) => buttons.map((b) => b.dataset.testid.replace('review-submit-', '')))) {
        for (const select of await md.getByTestId(`review-${id}`).locator('select').all()) await select.selectOption('2');
        await submit(md, md.getByTestId(`review-submit-${id}`));
        await md.getByTestId(`review-others-${id}`).waitFor();
      }
      await assertFitsWidth(md, assert);
      await screenshot(md, 'live-review-360');

      // The operator sees the weighted scores and the disagreement, closes early, selects, schedules.
      await ops.goto(callUrl);
      assert.equal(await ops.locator('[data-testid^="disagreement-"]').count(), 2);
      assert.match(await ops.getByTestId('live-applications').innerText(), /3\.50/);
      await submit(ops, ops.getByTestId('live-select'));
      await ops.getByTestId('live-error').first().waitFor();
      await submit(ops, ops.getByTestId('live-close'));
      await ops.getByTestId('live-alert').waitFor();
      await submit(ops, ops.getByTestId('live-select'));
      await ops.getByTestId('live-alert').waitFor();
      await submit(ops, ops.getByTestId('live-schedule'));
      await ops.getByTestId('live-alert').waitFor();
      const rows = ops.getByTestId('live-schedule-table').locator('[data-testid^="broadcast-row-"]');
      assert.equal(await rows.count(), 2);
      assert.equal(await ops.getByTestId('live-conflict').count(), 0);
      await screenshot(ops, 'live-call-operator-desktop');
      const broadcastUrls = await rows.locator('a').evaluateAll((links) => links.map((a) => a.href));

      // Preparation: the checklist and the expected units; then the gate decides.
      let blockedUrl = null;
      for (const url of broadcastUrls) {
        await ops.goto(url);
        for (const box of await ops.locator('input[name="checklist"]').all()) await box.check();
        for (const units of await ops.locator('[data-testid^="units-"]').all()) await units.fill('50');
        await submit(ops, ops.getByTestId('preparation-save'));
        await ops.getByTestId('live-alert').waitFor();
        const shop = await ops.getByTestId('broadcast-head').locator('h1').innerText();
        if (shop.includes(shops[0].name)) blockedUrl = url;
      }
      assert.ok(blockedUrl);

      // Neither shop has its Coupang seller account in Gachi. The second shop's owner fills it in
      // now, so its broadcast confirms; the first shop's stays held at the gate.
      const owner1 = await phone(browser);
      await signIn(owner1, server.url, shops[1].email, '가게사장비밀번호1');
      await fillCoupangAccount(owner1, server.url);
      for (const url of broadcastUrls) {
        await ops.goto(url);
        await submit(ops, ops.getByTestId('broadcast-confirm'));
        if (url === blockedUrl) {
          await ops.getByTestId('live-error').first().waitFor();
          assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'scheduled');
        } else {
          await ops.getByTestId('live-alert').waitFor();
          assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'confirmed');
        }
      }

      await owner0.goto(blockedUrl);
      const gate = owner0.getByTestId('live-gate');
      const failing = gate.locator('li[data-passed="false"]');
      assert.equal(await failing.count(), 1, await gate.innerText());
      await assertFitsWidth(owner0, assert);
      await screenshot(owner0, 'live-gate-merchant-360');
      await Promise.all([owner0.waitForURL(/\/products\/\d+#readiness$/), gate.locator('a[data-testid$="-coupang"]').click()]);
      const accountLink = owner0.locator('#readiness a[href="/my-shop/markets"]').first();
      await accountLink.waitFor();
      await fillCoupangAccount(owner0, server.url);
      await owner0.goto(blockedUrl);
      assert.equal(await owner0.getByTestId('live-gate').locator('li[data-passed="false"]').count(), 0);

      await ops.goto(blockedUrl);
      await submit(ops, ops.getByTestId('broadcast-confirm'));
      await ops.getByTestId('live-alert').waitFor();
      assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'confirmed');
      await screenshot(ops, 'live-broadcast-operator-desktop');

      // The host's cue sheet reads on a phone; the public page and calendar list both broadcasts.
      await owner0.goto(`${blockedUrl}/cue`);
      await assertFitsWidth(owner0, assert);
      await screenshot(owner0, 'live-cue-360');
      const visitor = await phone(browser);
      await visitor.goto(`${server.url}/live`);
      assert.equal(await visitor.getByTestId('live-upcoming').locator('[data-testid^="live-broadcast-"]').count(), 2);
      assert.match(await visitor.getByTestId('live-upcoming').innerText(), /쿠팡 라이브/);
      await assertFitsWidth(visitor, assert);
      await screenshot(visitor, 'live-public-360');
      const ics = await (await fetch(`${server.url}/live.ics`)).text();
      assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 2);
    } finally {
      server.stop();
    }
  });

  test('results entered for an aired broadcast move the dashboard', async () => {
    const dataDir = freshDataDir('live-demo');
    const printed = gachi(['demo', '--data-dir', dataDir]);
    const passwords = {};
    for (const match of printed.matchAll(/^\s+(\S+@gachi\.demo)\s+(\S+)/gm)) passwords[match[1]] = match[2];
    const server = await startServer(dataDir);
    try {
      const ops = await desktop(browser);
      await signIn(ops, server.url, 'operator@gachi.demo', passwords['operator@gachi.demo']);
      await ops.goto(`${server.url}/dashboard`);
      const held = ops.getByTestId('actual-live_broadcasts');
      assert.equal((await held.innerText()).trim(), '1');

      // 동부떡집's autumn broadcast aired; its figures are not in yet.
      await ops.goto(`${server.url}/live/calls`);
      await follow(ops, ops.getByRole('link', { name: '2026 가을 가치데이' }));
      const aired = ops.getByTestId('live-schedule-table').locator('tr', { hasText: '동부떡집' }).locator('a');
      await follow(ops, aired);
      const results = ops.getByTestId('results-form');
      await results.locator('#r-channel').selectOption('kakao_live');
      await results.locator('#r-viewers').fill('3,200');
      await results.locator('#r-peak').fill('540');
      await results.locator('#r-likes').fill('800');
      await results.locator('#r-orders').fill('이십');
      await results.locator('#r-sales').fill('2,290,000');
      await submit(ops, ops.getByTestId('results-save'));
      await ops.getByTestId('live-error').first().waitFor();
      await ops.getByTestId('results-form').locator('#r-orders').fill('128');
      await submit(ops, ops.getByTestId('results-save'));
      await ops.getByTestId('live-alert').waitFor();
      assert.equal(await ops.getByTestId('broadcast-status').getAttribute('data-status'), 'held');
      assert.match(await ops.getByTestId('live-results').innerText(), /3,200/);
      await screenshot(ops, 'live-results-desktop');

      await ops.goto(`${server.url}/dashboard`);
      assert.equal((await ops.getByTestId('actual-live_broadcasts').innerText()).trim(), '2');
    } finally {
      server.stop();
    }
  });
});

