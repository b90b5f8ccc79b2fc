// A 원정대 day in a real browser: the operator sets the day on the page and invites three MDs;
// six shops (set up through the API, as seller tools would) apply with pooled products and rank
// the MDs; each MD confirms on their phone and marks applicants; the operator makes the
// timetable; an MD and a shop open their agendas and download the .ics; the MD records a pick
// with a word for the shop, and the shop reads it. Screenshots at 360 px and desktop width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, repo, screenshot, signIn,
  startServer,
  checksum, submit,
} from './harness.mjs';

const skip = missingPrerequisite();

const NUMBERS = ['2208162517', '1068641434', '1018112341', '1078614075', '2148897494', '1234567891'];
const MDS = [['md1@coupang.kr', 'coupang'], ['md2@naver.kr', 'naver'], ['md3@11st.kr', '11st']];

describe('a 원정대 day in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  const shops = [];
  let dataDir;

  before(async () => {
    dataDir = freshDataDir('events');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '원정대 운영팀'], '운영팀비밀번호12\n');
    for (const [email] of MDS) {
      gachi(['user', 'create', '--data-dir', dataDir, '--email', email, '--role', 'md', '--name', email.split('@')[1]], '엠디비밀번호1234\n');
    }
    const fixture = JSON.parse(readFileSync(`${repo}/crates/channels/fixtures/bibimbap.json`, 'utf8'));
    const tokens = [];
    for (let k = 0; k < 6; k += 1) {
      const email = `shop${k}@jeonju.kr`;
      gachi(['user', 'create', '--data-dir', dataDir, '--email', email, '--role', 'merchant', '--name', `가게${k} 사장님`], '가게사장비밀번호1\n');
      tokens.push(gachi(['token', 'create', '--data-dir', dataDir, '--email', email]).trim().split(/\s+/).find((w) => w.startsWith('gachi_')));
    }
    server = await startServer(dataDir);
    for (let k = 0; k < 6; k += 1) {
      const api = (method, path, body) => fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[k]}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const number = k < 5 ? NUMBERS[k] : checksum('105811234');
      const shop = await api('POST', '/api/v1/merchants', {
        name: `전주 가게 ${k + 1}`, business_number: number, phone: '063-123-4567', region_code: '52111', industry_code: 'I20101',
      });
      assert.equal(shop.status, 201, await shop.text());
      const product = await api('POST', '/api/v1/products', { ...fixture, sku: `SHOP${k}-1`, name: `전주 가게 ${k + 1} 비빔밥 밀키트` });
      const productText = await product.text();
      assert.equal(product.status, 201, productText);
      const productId = JSON.parse(productText).id;
      const pooled = await api('PUT', `/api/v1/products/${productId}/pool`, {});
      assert.equal(pooled.status, 200, await pooled.text());
      shops.push({ api, productId, email: `shop${k}@jeonju.kr`, name: `전주 가게 ${k + 1}` });
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('set, applied to, marked, scheduled, met and followed up', async () => {
    const ops = await phone(browser);
    await signIn(ops, server.url, 'ops@program.kr', '운영팀비밀번호12');
    await ops.goto(`${server.url}/discovery/events`);
    await ops.getByLabel('행사 이름').fill('전주 디지털경제 원정대');
    await ops.getByLabel('지역 코드 (시도 또는 시군구)').fill('52110');
    await ops.getByLabel('장소').fill('전주 한옥마을 공예품전시관');
    await ops.getByLabel('날짜', { exact: true }).fill('2099-12-20');
    await ops.getByLabel('신청 마감일').fill('2099-12-15');
    await ops.getByLabel('상담 한 번 (분)').fill('25');
    await submit(ops, ops.getByTestId('event-create'));
    await ops.getByTestId('event-error').first().waitFor();
    await ops.getByLabel('상담 한 번 (분)').fill('20');
    await submit(ops, ops.getByTestId('event-create'));
    await ops.getByTestId('event-head').waitFor();
    const eventUrl = ops.url();
    const eventId = eventUrl.split('/').pop();
    for (const [email, channel] of MDS) {
      await ops.getByLabel('MD 계정 이메일').fill(email);
      await ops.getByLabel('마켓').selectOption(channel);
      await submit(ops, ops.getByTestId('event-invite'));
      await ops.getByTestId('event-alert').waitFor();
    }

    // Every MD confirms on their phone.
    const mdPages = [];
    for (const [email] of MDS) {
      const md = await phone(browser);
      await signIn(md, server.url, email, '엠디비밀번호1234');
      await md.goto(eventUrl);
      await md.getByLabel('찾는 상품 (예: 전통주, 밀키트)').fill('밀키트, 소스');
      await submit(md, md.getByTestId('event-attend'));
      await md.getByTestId('event-alert').waitFor();
      mdPages.push(md);
    }
    const mdIds = [];
    for (const [email] of MDS) {
      mdIds.push(email);
    }

    // Shops apply and rank through the API (their seller tool), then one checks on the page.
    const event = `/api/v1/discovery/events/${eventId}`;
    const detail = await (await shops[0].api('GET', event)).json();
    const invited = detail.invitations.map((i) => i.md_id);
    for (const [k, shop] of shops.entries()) {
      const applied = await shop.api('POST', `${event}/applications`, { product_ids: [shop.productId] });
      assert.equal(applied.status, 204, await applied.text());
      const order = [invited[k % 3], invited[(k + 1) % 3]];
      const ranked = await shop.api('PUT', `${event}/ranking`, { md_ids: order });
      assert.equal(ranked.status, 204, await ranked.text());
    }

    // Each MD marks two applicants as must-meet on the page.
    for (const [m, md] of mdPages.entries()) {
      await md.reload();
      const applicants = md.locator('[data-testid^="applicant-"]');
      assert.equal(await applicants.count(), 6);
      for (const k of [m, m + 3]) {
        await submit(md, applicants.nth(k).getByRole('button', { name: '꼭 만나기' }));
        await md.getByTestId('event-alert').waitFor();
      }
    }
    await assertFitsWidth(mdPages[0], assert);
    await screenshot(mdPages[0], 'event-md-applicants-360');

    await ops.goto(eventUrl);
    await submit(ops, ops.getByTestId('event-schedule'));
    await ops.getByTestId('event-alert').waitFor();
    await ops.getByTestId('event-grid').waitFor();
    await screenshot(ops, 'event-operator-grid-360');
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const wide = await desk.newPage();
    await signIn(wide, server.url, 'ops@program.kr', '운영팀비밀번호12');
    await wide.goto(eventUrl);
    await wide.getByTestId('event-grid').waitFor();
    await screenshot(wide, 'event-operator-grid-1280');
    await desk.close();

    // On the day staff check shops in at the door; the MD prints the applicants' dossiers.
    await ops.goto(eventUrl);
    await submit(ops, ops.locator('[data-testid^="check-in-"]').first());
    await ops.getByTestId('event-alert').waitFor();
    await ops.getByTestId('arrived').first().waitFor();
    await mdPages[1].goto(eventUrl);
    await mdPages[1].getByTestId('dossiers-link').click();
    await mdPages[1].locator('[data-testid^="dossier-"]').first().waitFor();
    assert.equal(await mdPages[1].locator('[data-testid^="dossier-"]').count(), 6);
    await assertFitsWidth(mdPages[1], assert);
    await screenshot(mdPages[1], 'event-md-dossiers-360');

    // The first MD reads their agenda, downloads it, and records a pick for the first meeting.
    const md = mdPages[0];
    await md.goto(eventUrl);
    const meetings = md.locator('[data-testid^="meeting-"]');
    assert.ok(await meetings.count() >= 2, 'the MD has meetings');
    // The link's file, fetched with the MD's session as the download would be.
    const href = await md.getByTestId('agenda-ics').getAttribute('href');
    const file = await md.request.get(`${server.url}${href}`);
    assert.equal(file.status(), 200);
    assert.match(file.headers()['content-type'], /^text\/calendar/);
    assert.match(file.headers()['content-disposition'], /attachment/);
    const ics = await file.text();
    assert.match(ics, /BEGIN:VCALENDAR/);
    assert.ok((ics.match(/BEGIN:VEVENT/g) ?? []).length >= 2, ics);
    const first = meetings.first();
    const shopName = (await first.locator('span').first().innerText()).split(' · ').pop().trim();
    await first.getByText('상담 결과 기록하기').click();
    await first.getByLabel('상담 결과').selectOption('pick');
    await first.getByLabel('추천할 상품 (결과가 \'추천\'일 때)').selectOption({ index: 1 });
    await first.getByLabel('사장님께 전할 말').fill('설 선물 기획전에 모시고 싶습니다.');
    await submit(md, first.getByRole('button', { name: '결과 저장' }));
    await md.getByTestId('event-alert').waitFor();
    await assertFitsWidth(md, assert);
    await screenshot(md, 'event-md-agenda-360');

    // The shop reads the MD's words and finds the pick waiting for its answer.
    const shop = shops.find((s) => s.name === shopName);
    assert.ok(shop, `a shop named ${shopName}`);
    const merchant = await phone(browser);
    await signIn(merchant, server.url, shop.email, '가게사장비밀번호1');
    await merchant.goto(eventUrl);
    await merchant.getByTestId('meeting-feedback').first().waitFor();
    assert.match(await merchant.getByTestId('event-agenda').innerText(), /설 선물 기획전에 모시고 싶습니다/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, 'event-merchant-agenda-360');
    await merchant.goto(`${server.url}/discovery/picks`);
    assert.match(await merchant.locator('article.pick').first().innerText(), /설 선물 기획전/);
  });
});
