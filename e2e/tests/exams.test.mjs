// The designer exam in a real browser: the operator fills the item bank on a desktop (a bad line
// is named and nothing is added); a designer on a phone sits 2급 — answers the written part,
// builds the brief's product in the product form until Naver's and Coupang's own checks pass,
// submits, passes and gets a certificate; a visitor verifies it. The right answers are never in
// the designer's pages. Screenshots at 1280 px and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, follow, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot, signIn, startServer,
  submit,
} from './harness.mjs';

const skip = missingPrerequisite();

// What each brief says, as the candidate reads it off the brief.
const BRIEFS = {
  '전주 수제 찹쌀약과 선물세트': { price: '18900', stock: '40', notice: 'GENERAL_FOOD' },
  '고창 황토 꿀고구마 5kg': { price: '24900', stock: '120', notice: 'FOOD' },
  '원목 통도마 (대)': { price: '45000', stock: '15', notice: 'KITCHEN_UTENSILS' },
};

describe('the exam in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    const dataDir = freshDataDir('exams');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영팀비밀번호123\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'lee@designer.kr', '--role', 'designer', '--name', '이수습', '--region', '52110'], '설계사비밀번호12\n');
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('the bank is filled, the exam sat and passed, the certificate verified', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const operator = await desk.newPage();
    await signIn(operator, server.url, 'ops@program.kr', '운영팀비밀번호123');
    await operator.goto(`${server.url}/exams`);
    await operator.getByLabel('분야').selectOption('listing');
    await operator.getByLabel('문제 (한 줄에 하나)').fill('좋은 문항 | *예 | 아니오\n정답이 없는 문항 | 예 | 아니오');
    await submit(operator, operator.getByTestId('exam-items-add'));
    assert.match(await operator.getByTestId('exam-error').first().innerText(), /2번째 줄/);
    for (const area of ['listing', 'detail_page', 'live', 'consulting']) {
      await operator.getByLabel('분야').selectOption(area);
      const lines = [1, 2, 3].map((n) => `${area} 문항 ${n} | 틀린 보기 | *맞는 보기 ${area}${n}`);
      await operator.getByLabel('문제 (한 줄에 하나)').fill(lines.join('\n'));
      await submit(operator, operator.getByTestId('exam-items-add'));
    }
    await screenshot(operator, '90-exam-bank-desktop-ko');
    assert.match(await operator.getByTestId('exam-bank-consulting').innerText(), /출제 중 3문항/);
    await screenshot(operator, '90-exam-bank-desktop-ko');

    const designer = await phone(browser);
    await signIn(designer, server.url, 'lee@designer.kr', '설계사비밀번호12');
    await designer.goto(`${server.url}/exams`);
    assert.match(await designer.getByTestId('exam-blocked-1').innerText(), /2급 자격증/);
    await submit(designer, designer.getByTestId('exam-start-2'));
    await designer.getByTestId('exam-form').waitFor();
    assert.match(await designer.getByTestId('exam-deadline').innerText(), /남음/);
    assert.doesNotMatch(await designer.content(), /\*맞는|checked/, 'no answer marked in the page');
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '91-exam-written-ko');
    const items = designer.locator('[data-testid^="exam-item-"]');
    assert.equal(await items.count(), 12);
    for (let i = 0; i < 12; i += 1) {
      await items.nth(i).getByText(/맞는 보기/).click();
    }
    await submit(designer, designer.getByTestId('exam-practical-open'));

    // The practical: the brief's product, typed into the product form.
    const brief = designer.getByTestId('practical-brief');
    const title = (await brief.locator('h1').innerText()).replace(/^실기: /, '');
    const facts = BRIEFS[title];
    assert.ok(facts, `a known brief: ${title}`);
    await designer.getByLabel('고시 유형', { exact: true }).selectOption(facts.notice);
    await submit(designer, designer.getByRole('button', { name: '이 유형으로 바꾸기' }));
    await designer.getByLabel('상품명', { exact: true }).fill(title);
    await designer.getByLabel('상품 코드', { exact: true }).fill('EXAM-1');
    await designer.getByLabel('판매가 (원)', { exact: true }).fill(facts.price);
    await designer.getByLabel('재고 수량', { exact: true }).fill(facts.stock);
    await designer.getByLabel('브랜드', { exact: true }).fill('가치공방');
    await designer.getByLabel('제조사', { exact: true }).fill('가치공방');
    await designer.getByLabel('대표 이미지 주소', { exact: true }).fill('https://img.example/exam-main.jpg');
    for (const input of await designer.locator('[name^="notice."]').all()) {
      const tag = await input.evaluate((e) => e.tagName);
      if (tag === 'SELECT') {
        await input.selectOption('false');
      } else if ((await input.getAttribute('placeholder')) === null) {
        await input.fill('상품 상세페이지 참조');
      }
    }
    await designer.getByLabel('배송비 (원)', { exact: true }).fill('3000');
    await designer.getByLabel('반품 받을 주소', { exact: true }).fill('전북특별자치도 전주시 완산구 효자로 225');
    await designer.getByLabel('반품 배송비(편도, 원)', { exact: true }).fill('3000');
    await designer.getByLabel('교환 배송비(왕복, 원)', { exact: true }).fill('6000');
    await designer.getByLabel('출고까지 걸리는 날(주문 다음 날 보내면 1)', { exact: true }).fill('2');
    await designer.getByLabel('택배사', { exact: true }).selectOption({ index: 1 });
    await designer.getByLabel('A/S 전화번호', { exact: true }).fill('063-000-0000');
    await designer.getByLabel('A/S 안내', { exact: true }).fill('평일 10시~18시 전화 상담');
    await designer.getByLabel('미성년자 구매', { exact: true }).selectOption('yes');
    await designer.getByLabel('네이버 스마트스토어', { exact: true }).fill('50000803');
    await designer.getByLabel('쿠팡', { exact: true }).fill('58927');
    await submit(designer, designer.getByTestId('product-save'));
    const passed = designer.getByTestId('practical-passed');
    if (!(await passed.isVisible())) {
      await screenshot(designer, '92-exam-practical-unfinished-ko');
      assert.fail(`the practical is not passed yet: ${await designer.getByTestId('readiness').innerText()}`);
    }
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '92-exam-practical-passed-ko');

    await follow(designer, designer.getByRole('link', { name: '필기 답안으로 돌아가기' }).first());
    assert.match(await designer.getByTestId('exam-practical-status').innerText(), /실기 통과 조건을 모두 갖췄습니다/);
    await submit(designer, designer.getByTestId('exam-submit'));
    assert.match(await designer.getByTestId('exam-result').innerText(), /합격/);
    assert.match(await designer.getByTestId('exam-written-score').innerText(), /12문항 중 12문항/);
    const number = (await designer.getByTestId('exam-certificate').innerText()).trim();
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '93-exam-passed-ko');

    const visitor = await browser.newPage({ locale: 'ko-KR' });
    await visitor.goto(`${server.url}/verify/${number}`);
    assert.match(await visitor.content(), /이수습/);
    assert.match(await visitor.content(), /유효/);
    await desk.close();
  });
});
