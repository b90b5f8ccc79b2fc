// Matching in a real browser: the operator previews and sends the 전북 matching on a desktop;
// the shop's owner accepts the proposed designer on a phone, granting the catalog and listing;
// the designer accepts on a phone, which starts the delegation, and finds the shop on their
// caseload board with its next step. Accounts and the shop are set up through the CLI and the
// API, as the program office and a seller tool would. Screenshots at 360 px and 1280 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot, signIn, startServer,
  submit,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('designer matching in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    const dataDir = freshDataDir('matching');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영팀비밀번호123\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'owner@tteok.kr', '--role', 'merchant', '--name', '동부떡집 사장님'], '떡집비밀번호1234\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--role', 'designer', '--name', '김설계', '--region', '52110'], '설계사비밀번호12\n');
    gachi(['certificates', 'issue', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--level', '1']);
    const tokenOf = (email) => gachi(['token', 'create', '--data-dir', dataDir, '--email', email]).trim();
    const owner = tokenOf('owner@tteok.kr');
    const operator = tokenOf('ops@program.kr');
    const designer = tokenOf('kim@designer.kr');
    server = await startServer(dataDir);
    const call = async (token, method, path, body) => {
      const reply = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await reply.text();
      assert.ok(reply.status < 300, `${method} ${path}: ${reply.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const shop = await call(owner, 'POST', '/api/v1/merchants', {
      name: '동부떡집', business_number: '106-86-41434', phone: '063-282-9789', region_code: '52111', industry_code: 'I21001',
    });
    await call(operator, 'POST', `/api/v1/merchants/${shop.id}/track`, { track: 'managed', reason: '혼자 운영하기 어려워 전담 설계사 요청' });
    await call(designer, 'PUT', '/api/v1/designers/me', {
      regions: ['52111'], industries: ['I2'], skills: ['onboarding', 'detail_page'], capacity: 4,
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('sent by the operator, accepted by both, on the designer caseload', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const operator = await desk.newPage();
    await signIn(operator, server.url, 'ops@program.kr', '운영팀비밀번호123');
    await operator.goto(`${server.url}/matching`);
    assert.equal(await operator.getByTestId('menu-button').isVisible(), false, 'no menu button at desktop width');
    await operator.getByLabel('시도 코드').fill('52');
    await submit(operator, operator.getByTestId('matching-preview'));
    assert.match(await operator.getByTestId('matching-alert').innerText(), /1곳을 짝지었습니다/);
    assert.match(await operator.getByTestId('matching-result').innerText(), /동부떡집[\s\S]*김설계[\s\S]*같은 전북특별자치도 전주시 완산구/);
    await submit(operator, operator.getByTestId('matching-send'));
    assert.match(await operator.getByTestId('matching-alert').innerText(), /제안 1건을 보냈습니다/);
    assert.match(await operator.getByTestId('matching-proposals').innerText(), /양쪽 답을 기다리는 중/);
    await screenshot(operator, '70-matching-sent-desktop-ko');

    const merchant = await phone(browser);
    await signIn(merchant, server.url, 'owner@tteok.kr', '떡집비밀번호1234');
    await merchant.goto(`${server.url}/delegations`);
    const offer = merchant.getByTestId('proposals');
    assert.match(await offer.innerText(), /추천된 디지털 유통설계사[\s\S]*김설계/);
    assert.ok(await offer.getByLabel('상품·상세페이지 편집').isChecked(), 'catalog is ticked by default');
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '71-proposal-merchant-ko');
    await submit(merchant, offer.getByRole('button', { name: '수락하기' }));
    assert.match(await merchant.getByTestId('delegation-alert').innerText(), /상대도 수락하면 위임이 시작됩니다/);
    assert.match(await merchant.getByTestId('seller-center-steps').innerText(), /쿠팡/);

    const designer = await phone(browser);
    await signIn(designer, server.url, 'kim@designer.kr', '설계사비밀번호12');
    await designer.goto(`${server.url}/delegations`);
    assert.match(await designer.getByTestId('proposals').innerText(), /새 가게 제안[\s\S]*동부떡집[\s\S]*설계사 답을 기다리는 중/);
    await submit(designer, designer.getByRole('button', { name: '수락하기' }));
    assert.match(await designer.getByTestId('delegation-alert').innerText(), /양쪽이 수락해 위임이 시작되었습니다/);

    await designer.goto(`${server.url}/caseload`);
    const caseCard = designer.locator('[data-testid^="case-"]').first();
    assert.match(await caseCard.innerText(), /동부떡집[\s\S]*오늘 작업함[\s\S]*다음 할 일: 첫 상품을 등록하세요/);
    assert.match(await caseCard.innerText(), /연결된 마켓 API 키가 없습니다/);
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '72-caseload-designer-ko');

    // The merchant's page now shows the running delegation, with what it grants.
    await merchant.goto(`${server.url}/delegations`);
    assert.match(await merchant.locator('[data-testid^="delegation-"]').filter({ hasText: '김설계' }).first().innerText(), /진행 중|위임/);
    await desk.close();
  });
});
