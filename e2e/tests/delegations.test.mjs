// Delegation in a real browser: a merchant finds a certified designer, delegates the catalog;
// the designer opens the shop's product from their 위임 page and fixes its name; the merchant
// reads it in 활동 기록 and ends the delegation; the designer's next request is refused. The
// shop and its product are set up through the API as a seller tool would. Screenshots at 360 px.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, repo, screenshot, signIn,
  startServer,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('delegation to a designer in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  let productId;

  before(async () => {
    const dataDir = freshDataDir('delegations');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'owner@hanok.kr', '--role', 'merchant', '--name', '한옥식당 사장님'], '한옥식당비밀번호1\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--role', 'designer', '--name', '김설계', '--region', '52110'], '설계사비밀번호12\n');
    gachi(['certificates', 'issue', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--level', '1']);
    const token = gachi(['token', 'create', '--data-dir', dataDir, '--email', 'owner@hanok.kr']).trim().split(/\s+/).find((w) => w.startsWith('gachi_'));
    server = await startServer(dataDir);
    const api = (path, body) => fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const shop = await api('/api/v1/merchants', {
      name: '한옥식당', business_number: '220-81-62517', phone: '063-123-4567', region_code: '52111', industry_code: 'I20101',
    });
    const shopText = await shop.text();
    assert.equal(shop.status, 201, shopText);
    const product = JSON.parse(readFileSync(`${repo}/crates/channels/fixtures/bibimbap.json`, 'utf8'));
    const created = await api('/api/v1/products', product);
    const createdText = await created.text();
    assert.equal(created.status, 201, createdText);
    productId = JSON.parse(createdText).id;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('delegated, worked on, read in the activity and ended at once', async () => {
    const designer = await phone(browser);
    await signIn(designer, server.url, 'kim@designer.kr', '설계사비밀번호12');
    const before = await designer.goto(`${server.url}/products/${productId}`);
    assert.equal(before.status(), 404, 'nothing of the shop before the delegation');
    await designer.goto(`${server.url}/designers`);
    await designer.getByLabel('일하는 지역(시도 또는 시군구 코드, 쉼표로 구분)').fill('52111');
    await designer.getByTestId('profile-save').click();
    await designer.getByTestId('profile-saved').waitFor();

    const merchant = await phone(browser);
    await signIn(merchant, server.url, 'owner@hanok.kr', '한옥식당비밀번호1');
    await merchant.goto(`${server.url}/designers?region=52111`);
    assert.match(await merchant.getByTestId('designer-entry').first().innerText(), /김설계/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '50-designers-directory-ko');
    await merchant.goto(`${server.url}/delegations`);
    await merchant.getByLabel('설계사 이메일').fill('kim@designer.kr');
    await merchant.getByLabel('상품·상세페이지 편집').check();
    await merchant.getByTestId('delegation-grant-submit').click();
    assert.match(await merchant.getByTestId('delegation-alert').innerText(), /김설계 설계사에게 위임했습니다/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '51-delegation-granted-ko');

    await designer.goto(`${server.url}/delegations`);
    await designer.getByRole('link', { name: '이 가게 상품 열기' }).click();
    await designer.getByRole('link', { name: /비빔밥/ }).first().click();
    const name = designer.getByLabel('상품명');
    await name.fill('전주 한옥마을 비빔밥 밀키트 2인분 (설계사 정리)');
    await designer.getByTestId('product-save').click();
    await designer.waitForURL(/saved=1/);
    await screenshot(designer, '52-designer-edits-product-ko');

    await merchant.goto(`${server.url}/delegations`);
    const activity = await merchant.getByTestId('delegation-activity').innerText();
    assert.match(activity, /kim@designer\.kr/);
    assert.match(activity, /product\.update/);
    await merchant.getByRole('button', { name: '지금 끝내기' }).click();
    await merchant.getByText('끝남').first().waitFor();
    await screenshot(merchant, '53-delegation-ended-ko');

    const refused = await designer.goto(`${server.url}/products/${productId}`);
    assert.equal(refused.status(), 404, 'refused on the next request');
  });
});
