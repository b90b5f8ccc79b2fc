// The foundation in a real browser: a merchant signs up on a phone, signs out and in again,
// switches the language; an operator creates an account; a local-government officer is kept
// to their region. Screenshots go to target/e2e-screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, repo, screenshot, signIn,
  startContractServer, startServer,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('foundation in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  let naver;

  before(async () => {
    const dataDir = freshDataDir('foundation');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영기관비밀번호1\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'gov@jeonju.go.kr', '--role', 'localgov', '--region', '52110'], '전주시비밀번호12\n');
    // Real register rows: 300 Daegu restaurants of 2022 (old industry codes, no region codes).
    const imported = gachi(['import', 'stores', `${repo}/tests/integration/fixtures/stores-daegu-2022-06-300rows-old-format.csv`, '--data-dir', dataDir]);
    assert.match(imported, /imported 300, updated 0, unchanged 0, rejected 0/);
    // Naver is played by the local contract server (signatures and bodies checked).
    naver = await startContractServer('naver');
    server = await startServer(dataDir, ['--market-url', `naver=${naver.url}`]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
    naver?.stop();
  });

  test('a merchant signs up, signs in again and switches to English at 360 px', async () => {
    const page = await phone(browser);
    await page.goto(server.url);
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    await assertFitsWidth(page, assert);
    await screenshot(page, '01-landing-ko');

    await page.getByTestId('cta-signup').click();
    await page.waitForURL('**/signup');
    // A mistake first: the form says what is wrong, in Korean, next to the field.
    await page.getByLabel('이름').fill('한옥식당 사장님');
    await page.getByLabel('이메일').fill('hanok-at-example');
    await page.getByLabel('비밀번호', { exact: true }).fill('전주비빔밥2인분');
    await page.getByLabel('비밀번호 확인').fill('전주비빔밥2인분');
    await page.getByTestId('signup-submit').click();
    await page.locator('#e-email').waitFor();
    assert.match(await page.locator('#e-email').innerText(), /이메일 주소 형식이 올바르지 않습니다/);
    assert.equal(await page.getByLabel('이름').inputValue(), '한옥식당 사장님', 'typed values survive the error');
    await assertFitsWidth(page, assert);
    await screenshot(page, '02-signup-error-ko');

    await page.getByLabel('이메일').fill('hanok@example.kr');
    await page.getByLabel('비밀번호', { exact: true }).fill('전주비빔밥2인분');
    await page.getByLabel('비밀번호 확인').fill('전주비빔밥2인분');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('welcome').waitFor();
    assert.match(await page.getByTestId('welcome').innerText(), /한옥식당 사장님, 안녕하세요/);
    await assertFitsWidth(page, assert);
    await screenshot(page, '03-merchant-home-ko');

    // On a phone the header is one line that scrolls away; the menu button opens the nav.
    const header = await page.locator('header.top').boundingBox();
    assert.ok(header.height < 80, `the header is ${header.height}px tall at 360 px`);
    assert.equal(await page.locator('header.top').evaluate((h) => getComputedStyle(h).position), 'static');
    assert.equal(await page.getByRole('link', { name: '내 상품' }).isVisible(), false, 'the nav is folded');
    await page.getByTestId('menu-button').click();
    assert.equal(await page.getByRole('link', { name: '내 상품' }).isVisible(), true, 'the menu opens the nav');
    await assertFitsWidth(page, assert);
    await screenshot(page, '03b-merchant-menu-open-ko');

    await page.getByTestId('logout').click();
    await page.getByTestId('cta-signup').waitFor();
    await signIn(page, server.url, 'hanok@example.kr', '전주비빔밥2인분');
    await assertFitsWidth(page, assert);

    await page.getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await page.getByTestId('welcome').innerText(), /Hello, 한옥식당 사장님/);
    await assertFitsWidth(page, assert);
    await screenshot(page, '04-merchant-home-en');

    // The choice is kept on the account: a fresh sign-in elsewhere is in English too.
    const other = await phone(browser);
    await signIn(other, server.url, 'hanok@example.kr', '전주비빔밥2인분');
    assert.equal(await other.getAttribute('html', 'lang'), 'en');
    await other.context().close();

    // A merchant may not open staff pages.
    const response = await page.goto(`${server.url}/staff/users`);
    assert.equal(response.status(), 403);
    await page.context().close();
  });

  test('a merchant registers the shop, takes the diagnosis and sees the track and why', async () => {
    const page = await phone(browser);
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('이름').fill('동문떡집 사장님');
    await page.getByLabel('이메일').fill('dongmun@example.kr');
    await page.getByLabel('비밀번호', { exact: true }).fill('떡집비밀번호2026');
    await page.getByLabel('비밀번호 확인').fill('떡집비밀번호2026');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('welcome').waitFor();
    await page.getByRole('link', { name: '가게 정보 등록' }).click();
    await page.waitForURL('**/my-shop');

    await page.getByLabel('상호').fill('동문떡집');
    await page.getByLabel('사업자등록번호').fill('106-86-41430');
    await page.locator('#f-region_code').selectOption('52111');
    await page.locator('#f-industry_code').selectOption('I21001');
    await page.getByLabel('전화번호').fill('063-282-9789');
    await page.getByTestId('shop-submit').click();
    await page.locator('#e-business_number').waitFor();
    assert.match(await page.locator('#e-business_number').innerText(), /사업자등록번호가 올바르지 않습니다/);
    await screenshot(page, '09-shop-error-ko');
    await page.getByLabel('사업자등록번호').fill('106-86-41434');
    await page.getByTestId('shop-submit').click();
    await page.waitForURL('**/my-shop/diagnosis?registered=1');
    assert.match(await page.getByTestId('registered-now').innerText(), /가게를 등록했습니다/);
    await assertFitsWidth(page, assert);

    const choose = async (question, answer) => page.locator(`input[name="${question}"][value="${answer}"]`).check();
    await choose('uniqueness', 'own_recipe');
    await choose('quality_evidence', 'reviews');
    await choose('price_position', 'similar');
    await choose('supply_capacity', 'can_grow');
    await choose('photos', 'none');
    await choose('smartphone', 'calls_only');
    await choose('pc', 'none');
    await choose('channels', 'none');
    await choose('weekly_hours', 'under_2');
    await choose('operator', 'family_or_staff');
    await screenshot(page, '10-diagnosis-form-ko');
    await page.getByTestId('diagnosis-submit').click();
    await page.getByTestId('diagnosis-result').waitFor();
    assert.equal(await page.getByTestId('track').innerText(), '전담 셀러 (유통설계사 운영)');
    const reasons = await page.getByTestId('reasons').innerText();
    assert.match(reasons, /디지털 유통설계사가 전담 셀러로/);
    assert.match(reasons, /사진/, 'the missing photos are named as something to work on');
    await assertFitsWidth(page, assert);
    await screenshot(page, '11-diagnosis-result-ko');
    await page.context().close();
  });

  test('a merchant builds a 가공식품 product with two options from the generated notice form', async () => {
    const page = await phone(browser);
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('이름').fill('비빔밥집 사장님');
    await page.getByLabel('이메일').fill('bibim@example.kr');
    await page.getByLabel('비밀번호', { exact: true }).fill('비빔밥비밀번호1');
    await page.getByLabel('비밀번호 확인').fill('비빔밥비밀번호1');
    await page.getByTestId('signup-submit').click();
    await page.getByTestId('welcome').waitFor();
    await page.goto(`${server.url}/my-shop`);
    await page.getByLabel('상호').fill('전주비빔밥');
    await page.getByLabel('사업자등록번호').fill('101-81-12341');
    await page.locator('#f-region_code').selectOption('52111');
    await page.locator('#f-industry_code').selectOption('I20101');
    await page.getByTestId('shop-submit').click();
    await page.waitForURL('**/my-shop/diagnosis?registered=1');

    await page.goto(`${server.url}/products/new`);
    assert.equal(await page.locator('#f-notice_type').inputValue(), 'GENERAL_FOOD', 'a restaurant is offered 가공식품');
    await page.getByLabel('상품명').fill('전주 한옥마을 비빔밥 밀키트 2인분');
    await page.getByLabel('상품 코드').fill('JJ-BIBIM-2');
    await page.getByLabel('판매가 (원)').fill('15900');
    await page.getByLabel('재고 수량').fill('120');
    await page.locator('#f-options').fill('맛: 순한맛, 매운맛');
    await page.getByLabel('대표 이미지 주소').fill('https://img.example/main.jpg');
    await page.locator('#f-minor_purchasable').selectOption('yes');
    await page.getByLabel('반품 받을 주소').fill('전북특별자치도 전주시 완산구 동문길 67');
    await page.getByLabel('배송비 (원)').fill('3000');
    await page.getByLabel('A/S 전화번호').fill('063-123-4567');
    await page.locator('#f-ship_return_fee').fill('3000');
    await page.locator('#f-ship_exchange_fee').fill('6000');
    await page.locator('#f-ship_dispatch_days').fill('1');
    await page.getByLabel('택배사').selectOption('CJGLS');
    await page.getByLabel('네이버 스마트스토어').fill('50000803');
    await page.getByTestId('product-save').click();
    await page.locator('#e-notice\\.foodType').waitFor();
    assert.match(await page.locator('#e-notice\\.foodType').innerText(), /꼭 적어야 합니다/);
    assert.equal(await page.getByLabel('상품명').inputValue(), '전주 한옥마을 비빔밥 밀키트 2인분', 'what was typed is kept');
    await screenshot(page, '12-product-notice-errors-ko');

    // The options became one row per combination: stock and surcharge for each.
    await page.getByTestId('variants').waitFor();
    assert.match(await page.getByTestId('variants').innerText(), /순한맛[\s\S]*매운맛/);
    await page.locator('#f-var\\.0\\.stock').fill('60');
    await page.locator('#f-var\\.1\\.stock').fill('60');
    await page.locator('#f-var\\.1\\.delta').fill('1000');

    for (const field of ['productName', 'foodType', 'producer', 'location', 'weight', 'amount', 'ingredients', 'consumerSafetyCaution', 'customerServicePhoneNumber']) {
      await page.getByTestId(`see-detail-notice.${field}`).click();
      await page.getByTestId(`see-detail-notice.${field}`).waitFor({ state: 'detached' });
    }
    await page.locator('select[name="notice.geneticallyModified"]').selectOption('false');
    await page.getByTestId('product-save').click();
    await page.getByTestId('readiness').waitFor();
    // Everything common is there; Naver still wants the A/S guide, said in plain Korean.
    assert.match(await page.getByTestId('readiness').innerText(), /네이버 스마트스토어\s*\d+가지 남음\s*\d+%[\s\S]*A\/S 안내: 이 마켓은 이 항목을 꼭 받아야 합니다/);
    assert.match(await page.getByTestId('readiness').innerText(), /쿠팡[\s\S]*카테고리를 골라 주세요/);
    const preview = page.frameLocator('iframe.preview');
    await preview.locator('h1').waitFor();
    assert.equal(await preview.locator('h1').innerText(), '전주 한옥마을 비빔밥 밀키트 2인분');
    assert.match(await preview.locator('table').first().innerText(), /식품의 유형\s+상품 상세페이지 참조/);
    await assertFitsWidth(page, assert);
    await screenshot(page, '13-product-readiness-ko');

    // A photo from the phone: made here by the browser (a 1200×900 JPEG), uploaded as the main
    // image with the form's own button, stored by Gachi and shown as a thumbnail. It is not
    // square, so Coupang's rule is a warning in plain Korean.
    const photo = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 1200;
      canvas.height = 900;
      const g = canvas.getContext('2d');
      g.fillStyle = '#f4e3c1';
      g.fillRect(0, 0, 1200, 900);
      g.fillStyle = '#c0392b';
      g.beginPath();
      g.arc(600, 450, 320, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#2d7d46';
      g.fillRect(420, 400, 360, 100);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await page.locator('#f-photo').setInputFiles({ name: 'bibimbap.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
    await page.locator('select[name="photo_role"]').selectOption('main');
    await page.getByTestId('photo-upload').click();
    const thumbnail = page.locator('[data-testid="photos"] img[src^="/media/"]').first();
    await thumbnail.waitFor();
    await thumbnail.scrollIntoViewIfNeeded();
    assert.equal(await thumbnail.evaluate((img) => img.decode().then(() => img.naturalWidth)), 320, 'the thumbnail is served');
    // The product keeps the photo as Gachi's own path; the server's address is added when it is sent.
    assert.match(await page.getByLabel('대표 이미지 주소').inputValue(), /^\/media\/[0-9a-f]{32}-1200x900\.jpg$/);
    assert.match(await page.getByTestId('readiness').innerText(), /쿠팡[\s\S]*정사각형이어야 합니다. 지금 사진은 1200×900px/);
    await page.getByTestId('photos').scrollIntoViewIfNeeded();
    await assertFitsWidth(page, assert);
    await screenshot(page, '13b-product-photo-ko');
    assert.doesNotMatch(page.url(), /_csrf/, 'no address carries the form token');

    // Enter in a field saves the product — not the photo upload, the first button in the form.
    await Promise.all([page.waitForNavigation(), page.getByLabel('판매가 (원)').press('Enter')]);
    assert.match(page.url(), /\/products\/\d+(\?saved=1)?$/, 'saved, on the product page');
    assert.equal(await page.locator('#e-photo').count(), 0, 'no photo error');
    assert.match(await page.locator('p.ok[role="status"]').first().innerText(), /저장/);

    // Design the 상세페이지: the bold template in the shop's colour. The preview follows the
    // typing (no button pressed), and the page itself does not reload.
    const before = await page.evaluate(() => performance.getEntriesByType('navigation')[0].startTime + ':' + performance.timeOrigin);
    await page.locator('input[name="dp_template"][value="bold"]').check();
    await page.locator('#f-dp_color').fill('#c0392b');
    await page.getByLabel('큰 제목').fill('할머니 손맛 그대로');
    await page.getByLabel('자랑거리 하나').fill('국산 재료만 씁니다');
    await preview.locator('h1', { hasText: '할머니 손맛 그대로' }).waitFor();
    await preview.locator('body', { hasText: '국산 재료만 씁니다' }).waitFor();
    assert.equal(await page.getByLabel('큰 제목').inputValue(), '할머니 손맛 그대로', 'the form keeps what was typed');
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].startTime + ':' + performance.timeOrigin), before, 'the page did not reload');
    await page.locator('iframe.preview').scrollIntoViewIfNeeded();
    await screenshot(page, '14-detail-page-builder-ko');

    // Deleting asks first, says it worked, and can be undone for 30 days.
    await page.getByTestId('product-delete').click();
    await page.getByTestId('delete-confirm').waitFor();
    await assertFitsWidth(page, assert);
    await screenshot(page, '14b-product-delete-confirm-ko');
    await Promise.all([page.waitForNavigation(), page.getByTestId('delete-confirmed').click()]);
    assert.match(await page.getByTestId('products-note').innerText(), /상품을 지웠습니다/);
    assert.doesNotMatch(await page.getByTestId('product-list').innerText(), /비빔밥/);
    await Promise.all([page.waitForNavigation(), page.getByTestId('undo-delete').click()]);
    assert.match(await page.getByTestId('products-note').innerText(), /되살렸습니다/);
    assert.match(await page.getByTestId('product-list').innerText(), /비빔밥/);
    await screenshot(page, '14c-product-restored-ko');
    await page.context().close();
  });

  test('an operator creates a local-government account; the officer sees only their region', async () => {
    const page = await phone(browser);
    await page.goto(`${server.url}/staff/users`);
    await page.waitForURL('**/login?next=**');
    await page.getByLabel('이메일').fill('ops@program.kr');
    await page.getByLabel('비밀번호').fill('운영기관비밀번호1');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/staff/users');
    await page.locator('#f-role').waitFor();
    await assertFitsWidth(page, assert);
    await page.getByLabel('이메일').fill('gunsan@jeonbuk.go.kr');
    await page.getByLabel('이름').fill('군산시 담당');
    await page.locator('#f-role').selectOption('localgov');
    await page.locator('#f-region_code').selectOption('52130');
    await page.getByLabel('처음 비밀번호').fill('군산시비밀번호123');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    await page.getByText('gunsan@jeonbuk.go.kr 계정을 만들었습니다.').waitFor();
    assert.match(await page.locator('table.data').innerText(), /전북특별자치도 군산시/);
    await screenshot(page, '05-operator-accounts-ko');
    await page.context().close();

    const officer = await phone(browser);
    await signIn(officer, server.url, 'gov@jeonju.go.kr', '전주시비밀번호12');
    await assertFitsWidth(officer, assert);
    await officer.goto(`${server.url}/my-region`);
    assert.equal(await officer.getByTestId('region-name').innerText(), '전북특별자치도 전주시');
    await assertFitsWidth(officer, assert);
    await screenshot(officer, '06-localgov-region-ko');
    const elsewhere = await officer.goto(`${server.url}/regions/11`);
    assert.equal(elsewhere.status(), 403);
    assert.match(await officer.locator('main').innerText(), /권한이 없습니다/);
    await officer.context().close();
  });
  test('an operator filters the merchant list by region and opens a record', async () => {
    const page = await phone(browser);
    await signIn(page, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await page.goto(`${server.url}/merchants`);
    await page.locator('#f-region_code').selectOption('27200');
    await page.getByTestId('filter-submit').click();
    await page.waitForURL('**/merchants?region_code=27200**');
    const table = page.getByTestId('merchant-table');
    await table.waitFor();
    assert.match(await table.innerText(), /대구광역시 남구/);
    assert.doesNotMatch(await table.innerText(), /대구광역시 중구/);
    await assertFitsWidth(page, assert);
    await screenshot(page, '07-operator-merchants-ko');
    const first = table.locator('tbody a').first();
    const name = await first.innerText();
    await first.click();
    await page.getByTestId('merchant-name').waitFor();
    assert.equal(await page.getByTestId('merchant-name').innerText(), name);
    assert.match(await page.locator('main').innerText(), /대구광역시 남구/);
    await assertFitsWidth(page, assert);
    await screenshot(page, '08-merchant-record-ko');
    await page.context().close();
  });
  test('an operator starts a shop on the onboarding board and moves its card', async () => {
    const page = await phone(browser);
    await signIn(page, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await page.goto(`${server.url}/merchants?q=${encodeURIComponent('전주비빔밥')}`);
    await page.getByTestId('merchant-table').locator('tbody a').first().click();
    await page.getByTestId('merchant-name').waitFor();
    await page.locator('#f-onboarding-channel').selectOption('naver');
    await page.getByTestId('onboarding-start').click();
    await page.waitForURL('**/onboarding');
    const preparing = page.getByTestId('column-preparing');
    assert.match(await preparing.innerText(), /전주비빔밥[\s\S]*네이버 스마트스토어[\s\S]*오늘 들어옴/);
    const card = preparing.locator('article').first();
    const testid = await card.getAttribute('data-testid');
    await card.locator('select').selectOption('drafting');
    await card.getByRole('button', { name: '옮기기' }).click();
    await page.getByTestId('column-drafting').getByTestId(testid).waitFor();
    assert.match(await page.getByTestId('column-drafting').innerText(), /상품을 만들고/);
    await assertFitsWidth(page, assert);
    await page.getByTestId('column-drafting').scrollIntoViewIfNeeded();
    await screenshot(page, '15-onboarding-board-ko');
    await page.context().close();

    // The merchant sees the card and what to do next.
    const merchant = await phone(browser);
    await signIn(merchant, server.url, 'bibim@example.kr', '비빔밥비밀번호1');
    await merchant.goto(`${server.url}/onboarding`);
    assert.match(await merchant.getByTestId('my-cards').innerText(), /네이버 스마트스토어 — 상품 작성/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '16-merchant-onboarding-ko');
    await merchant.context().close();
  });
  test('an operator validates for Naver, fixes the product, submits it and sees the card in 심사중', async () => {
    // The merchant connects their Naver application once; the keys are never shown again.
    const merchant = await phone(browser);
    await signIn(merchant, server.url, 'bibim@example.kr', '비빔밥비밀번호1');
    await merchant.goto(`${server.url}/my-shop/markets`);
    await merchant.locator('#f-naver-client_id').fill('aaaabbbbcccc');
    await merchant.locator('#f-naver-client_secret').fill('$2a$04$QKLnou1D2cSH19Pia30bcu');
    await merchant.getByTestId('market-save-naver').click();
    await merchant.getByTestId('markets-saved').waitFor();
    assert.doesNotMatch(await merchant.content(), /QKLnou1D2cSH19Pia30bcu/);
    assert.match(await merchant.getByTestId('market-naver').innerText(), /API 키 저장됨/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '17-market-accounts-ko');
    await merchant.context().close();

    const page = await phone(browser);
    await signIn(page, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await page.goto(`${server.url}/onboarding?channel=naver`);
    await page.getByTestId('column-drafting').getByRole('link', { name: '전주비빔밥' }).click();
    await page.getByTestId('merchant-products').getByRole('link').first().click();
    const readiness = page.getByTestId('readiness');
    await readiness.waitFor();
    assert.match(await readiness.innerText(), /네이버 스마트스토어[\s\S]*A\/S 안내: 이 마켓은 이 항목을 꼭 받아야 합니다/);
    assert.equal(await page.getByTestId('submit-naver').count(), 0, 'not offered before it is ready');

    await page.getByLabel('A/S 안내').fill('평일 10시~18시 전화 상담');
    await page.getByTestId('product-save').click();
    await page.getByTestId('submit-naver').waitFor();
    assert.match(await page.getByTestId('readiness').innerText(), /네이버 스마트스토어\s*준비 완료\s*100%/);
    await page.getByTestId('submit-naver').click();
    await page.getByTestId('submissions').waitFor();
    assert.match(await page.getByTestId('submissions').innerText(), /네이버 스마트스토어 · 등록됨 \(심사중\)[\s\S]*마켓 상품번호 1000001/);
    assert.match(await page.getByTestId('listed-naver').innerText(), /1000001/);
    await screenshot(page, '18-product-submitted-ko');

    await page.goto(`${server.url}/onboarding?channel=naver`);
    assert.match(await page.getByTestId('column-in_review').innerText(), /전주비빔밥/);
    await assertFitsWidth(page, assert);
    await page.getByTestId('column-in_review').scrollIntoViewIfNeeded();
    await screenshot(page, '19-board-in-review-ko');

    // "Validate all" runs as a job: the board shows its progress and reloads when it is done.
    await page.getByTestId('bulk-validate').click();
    await page.locator('[data-testid="bulk-job"][data-state="finished"]').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('bulk-job').innerText(), /이 마켓 전체 검증 · 끝남 · (\d+)\/\1/);
    assert.match(await page.getByTestId('bulk-job-summary').innerText(), /곳 통과/);
    assert.match(await page.getByTestId('column-in_review').innerText(), /전주비빔밥/, 'listed shops are left alone');
    await page.getByTestId('bulk-job').scrollIntoViewIfNeeded();
    await assertFitsWidth(page, assert);
    await screenshot(page, '19b-board-bulk-job-ko');
    await page.context().close();
  });
  test('a merchant reports sales into the hall of fame; an operator reads the dashboard; a visitor sees the hall', async () => {
    const merchant = await phone(browser);
    await signIn(merchant, server.url, 'bibim@example.kr', '비빔밥비밀번호1');
    await merchant.goto(`${server.url}/my-shop/sales`);
    const month = await merchant.locator('#f-month').inputValue();
    const seoul = new Date(Date.now() + 9 * 3600 * 1000); // months are Seoul's
    const last = new Date(Date.UTC(seoul.getUTCFullYear(), seoul.getUTCMonth() - 1, 15));
    const lastMonth = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
    assert.equal(month, lastMonth, 'the form offers the last finished month');
    await merchant.locator('#f-sales_krw').fill('-5');
    await merchant.locator('#f-orders').fill('1');
    await merchant.getByTestId('sales-submit').click();
    assert.match(await merchant.locator('#e-sales_krw').innerText(), /0원 이상/);
    await merchant.locator('#f-sales_krw').fill('120,000,000');
    await merchant.locator('#f-orders').fill('4800');
    await merchant.getByTestId('sales-submit').click();
    await merchant.getByTestId('sales-member').waitFor();
    assert.match(await merchant.getByTestId('sales-member').innerText(), new RegExp(month));
    await assertFitsWidth(merchant, assert);
    // On a phone each report is a card: the amount and the orders are on screen, not cut off.
    const orders = merchant.getByTestId('sales-table').locator('td[data-label="주문 수"]').first();
    const box = await orders.boundingBox();
    assert.ok(box.x + box.width <= 360, `the orders cell ends at ${box.x + box.width}px`);
    await screenshot(merchant, '20-sales-report-ko');
    await merchant.context().close();

    const page = await phone(browser);
    await signIn(page, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await page.goto(`${server.url}/dashboard`);
    await page.getByTestId('targets').waitFor();
    assert.match(await page.getByTestId('targets').innerText(), /명예의 전당[\s\S]*1 \/ 156/);
    assert.match(await page.getByTestId('funnel').innerText(), /판매중/);
    assert.equal(await page.locator('[data-testid="map"] svg g').count(), 17, 'every 시도 on the map');
    await assertFitsWidth(page, assert);
    await screenshot(page, '21-dashboard-ko');
    await page.locator('#f-region_code').selectOption('52');
    await page.getByTestId('dashboard-filter').click();
    await page.waitForURL('**/dashboard?**region_code=52**');
    assert.match(await page.locator('h1').innerText(), /전북특별자치도/);
    const { readFileSync } = await import('node:fs');
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-regions').click(),
    ]);
    assert.match(workbook.suggestedFilename(), /\.xlsx$/);
    assert.equal(readFileSync(await workbook.path()).subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) workbook');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-regions-csv').click(),
    ]);
    const text = readFileSync(await csv.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff'), 'UTF-8 with BOM for Excel');
    assert.match(text, /전북특별자치도/);
    await page.context().close();

    const visitor = await phone(browser);
    await visitor.goto(`${server.url}/hall-of-fame`);
    assert.match(await visitor.getByTestId('hall-members').innerText(), /전주비빔밥[\s\S]*입성/);
    await assertFitsWidth(visitor, assert);
    await screenshot(visitor, '22-hall-of-fame-ko');
    await visitor.context().close();
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
