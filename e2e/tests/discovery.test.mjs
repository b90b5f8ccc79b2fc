// 원정대 in a real browser: a shop puts its product in the MD pool from its phone; an MD finds
// it by initial consonants and by the words run together, opens it (contact details hidden),
// picks it for Coupang; the shop accepts and its Coupang card appears on its onboarding board;
// the MD follows the pick. Screenshots at 360 px and at desktop width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, repo, screenshot, signIn,
  startServer,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('the MD pool and picks in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  let productId;

  before(async () => {
    const dataDir = freshDataDir('discovery');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'owner@hanok.kr', '--role', 'merchant', '--name', '한옥식당 사장님'], '한옥식당비밀번호1\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'md@coupang.kr', '--role', 'md', '--name', '쿠팡 박MD'], '쿠팡엠디비밀번호1\n');
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
    assert.equal(shop.status, 201, await shop.text());
    const product = JSON.parse(readFileSync(`${repo}/crates/channels/fixtures/bibimbap.json`, 'utf8'));
    product.name = '전주 비빔밥 밀키트 2인분';
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

  test('pooled, found, picked, accepted and followed', async () => {
    const shop = await phone(browser);
    await signIn(shop, server.url, 'owner@hanok.kr', '한옥식당비밀번호1');
    await shop.getByTestId('menu-button').click();
    await shop.getByRole('link', { name: 'MD 추천' }).first().click();
    await shop.getByTestId(`pool-put-${productId}`).click();
    await shop.getByTestId('picks-alert').waitFor();
    await shop.getByTestId(`pool-remove-${productId}`).waitFor();
    await assertFitsWidth(shop, assert);
    await screenshot(shop, 'discovery-shop-pool-360');

    const md = await phone(browser);
    await signIn(md, server.url, 'md@coupang.kr', '쿠팡엠디비밀번호1');
    await md.getByTestId('menu-button').click();
    await md.getByRole('link', { name: '상품 찾기' }).first().click();
    // Submits the search and waits for its own results page (not the previous one's hits).
    const search = async (words) => {
      await md.getByLabel('검색어').fill(words);
      await Promise.all([
        md.waitForURL((url) => url.searchParams.get('q') === words),
        md.getByTestId('discovery-submit').click(),
      ]);
    };
    for (const words of ['ㅈㅈ 비빔밥', '전주비빔밥']) {
      await search(words);
      await md.getByTestId('discovery-hit').first().waitFor();
      assert.match(await md.getByTestId('discovery-hit').first().innerText(), /전주 비빔밥 밀키트/, words);
    }
    await search('막걸리');
    await md.getByTestId('discovery-empty').waitFor();
    await search('ㅈㅈ 비빔밥');
    await md.getByTestId('discovery-hit').first().waitFor();
    await assertFitsWidth(md, assert);
    await screenshot(md, 'discovery-md-search-360');
    await md.getByTestId('discovery-hit').first().getByRole('link').click();
    await md.getByTestId('shop-contact-hidden').waitFor();
    await md.getByLabel('마켓').selectOption('coupang');
    await md.getByLabel('추천 목적').selectOption('time_deal');
    await md.getByLabel('사장님께 한마디').fill('추석 타임딜에 올리고 싶습니다.');
    await md.getByTestId('pick-submit').click();
    await md.getByTestId('pick-made').waitFor();
    await assertFitsWidth(md, assert);
    await screenshot(md, 'discovery-md-product-360');

    await shop.goto(`${server.url}/discovery/picks`);
    const pick = shop.locator('article.pick').first();
    assert.match(await pick.innerText(), /추석 타임딜에 올리고 싶습니다/);
    await screenshot(shop, 'discovery-shop-pick-360');
    await pick.getByRole('button', { name: '수락하기' }).click();
    await shop.getByTestId('picks-alert').waitFor();
    await shop.goto(`${server.url}/onboarding`);
    assert.match(await shop.locator('main').innerText(), /쿠팡/);

    await md.goto(`${server.url}/discovery/products/${productId}`);
    await md.getByTestId('shop-contact').waitFor();
    await md.goto(`${server.url}/discovery/picks`);
    assert.equal(await md.getByTestId('pick-step').first().innerText(), '수락');
    await screenshot(md, 'discovery-md-picks-360');

    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const wide = await desk.newPage();
    await signIn(wide, server.url, 'md@coupang.kr', '쿠팡엠디비밀번호1');
    await wide.goto(`${server.url}/discovery?q=${encodeURIComponent('비빔밥')}`);
    await wide.getByTestId('discovery-hit').first().waitFor();
    await screenshot(wide, 'discovery-md-search-1280');
    await desk.close();
  });
});
