// 가치삽시다 in a real browser, on the demo program: 동부떡집's owner, on a phone, sees Coupang's
// "마켓 계정 설정" item in the product's readiness and follows "이 문제를 해결한 다른 사장님의 답" to
// the solved question and the know-how article; asks a new question from there (the form comes
// filled with the error; similar questions show while the title is typed; a phone number typed in
// the body is masked) and has it sent to owners who solved the same error; 한옥식당's owner, who
// solved it before and takes such questions, finds the invitation under the bell and answers; the
// asker accepts; a visitor without an account finds the answer at that error. Screenshots at
// 360 px and at desktop width.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot, signIn, startServer,
  follow, submit,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('가치삽시다 in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  const passwords = {};

  before(async () => {
    const dataDir = freshDataDir('community');
    const printed = gachi(['demo', '--data-dir', dataDir]);
    for (const match of printed.matchAll(/^\s+(\S+@gachi\.demo)\s+(\S+)/gm)) passwords[match[1]] = match[2];
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('help at the error, a question from it, answered, accepted, found by the next owner', async () => {
    const asker = await phone(browser);
    await signIn(asker, server.url, 'dongbu@gachi.demo', passwords['dongbu@gachi.demo']);
    await asker.goto(`${server.url}/products`);
    await follow(asker, asker.locator('a[href^="/products/"]').filter({ hasText: '인절미' }).first());
    const help = asker.getByTestId('help-coupang-listing-setting-missing');
    await help.waitFor({ state: 'attached' });
    await follow(asker, help);
    await asker.getByTestId('community-help').waitFor();
    const solved = asker.getByTestId('community-posts');
    assert.match(await solved.innerText(), /쿠팡 반품지 센터코드는 어디서 확인하나요/);
    assert.match(await solved.innerText(), /쿠팡 입점 전에 준비할 계정 정보/);
    await assertFitsWidth(asker, assert);
    await screenshot(asker, 'community-help-360');

    // A new question from the error: the form carries the error and suggests similar posts.
    await follow(asker, asker.getByTestId('community-ask'));
    await asker.getByTestId('ask-error').waitFor();
    assert.match(await asker.locator('#a-body').inputValue(), /쿠팡/);
    assert.equal(await asker.locator('#a-topic').inputValue(), 'listing');
    assert.equal(await asker.locator('#a-channel').inputValue(), 'coupang');
    await asker.locator('#a-title').pressSequentially('쿠팡 반품지 코드', { delay: 20 });
    await asker.getByTestId('similar').waitFor();
    assert.match(await asker.getByTestId('similar').innerText(), /반품지 센터코드/);
    await asker.locator('#a-title').fill('쿠팡 출고지 코드도 꼭 넣어야 하나요?');
    const body = await asker.locator('#a-body').inputValue();
    await asker.locator('#a-body').fill(`${body}\n\n출고지 코드를 모르겠어요. 급하면 010-2222-3333으로 알려 주세요.`);
    await assertFitsWidth(asker, assert);
    await screenshot(asker, 'community-ask-360');
    await submit(asker, asker.getByTestId('ask-submit'));
    await asker.getByTestId('community-alert').waitFor();
    const questionUrl = asker.url().split('?')[0];
    const shown = await asker.getByTestId('question-body').innerText();
    assert.match(shown, /010-＊＊＊＊-＊＊＊＊/);
    assert.doesNotMatch(await asker.content(), /2222-3333/);
    await submit(asker, asker.getByTestId('route-now'));
    await asker.getByTestId('invited').waitFor();
    assert.match(await asker.getByTestId('invited').innerText(), /1분께 물어봤어요/);

    // 한옥식당's owner sees the invitation under the bell and answers from their own listing.
    const helper = await phone(browser);
    await signIn(helper, server.url, 'hanok@gachi.demo', passwords['hanok@gachi.demo']);
    await helper.getByTestId('bell-count').waitFor();
    await follow(helper, helper.getByTestId('bell'));
    const invitation = helper.getByTestId('notification').filter({ hasText: '출고지 코드도' }).first();
    assert.match(await invitation.innerText(), /답을 부탁드립니다/);
    await assertFitsWidth(helper, assert);
    await screenshot(helper, 'community-notifications-360');
    await follow(helper, invitation.locator('a'));
    assert.equal(helper.url().split('#')[0], questionUrl);
    await helper.locator('#q-answer').fill('네, 꼭 넣어야 해요. Wing **판매자정보 → 주소록**에서 출고지를 등록하면 출고지 코드가 나옵니다.');
    await submit(helper, helper.getByTestId('answer-submit'));
    await helper.getByTestId('community-alert').waitFor();
    const answer = helper.locator('[data-testid^="answer-"]').filter({ hasText: '주소록' }).first();
    const answerId = (await answer.getAttribute('data-testid')).replace('answer-', '');
    assert.equal(await helper.getByTestId(`accept-${answerId}`).count(), 0, 'only the asker accepts');

    // The asker votes it up and accepts it.
    await asker.goto(questionUrl);
    await submit(asker, asker.getByTestId(`upvote-${answerId}`));
    await asker.getByTestId('community-alert').waitFor();
    assert.equal((await asker.getByTestId(`score-${answerId}`).innerText()).trim(), '1');
    await submit(asker, asker.getByTestId(`accept-${answerId}`));
    await asker.getByTestId('community-alert').waitFor();
    await asker.getByTestId('question-solved').waitFor();
    await asker.getByTestId(`accepted-${answerId}`).waitFor();
    await assertFitsWidth(asker, assert);
    await screenshot(asker, 'community-question-360');

    // The next owner — here a visitor without an account — finds it at the same error.
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const next = await visitor.newPage();
    await next.goto(`${server.url}/community?channel=coupang&error=listing-setting-missing`);
    assert.match(await next.getByTestId('community-posts').innerText(), /출고지 코드도 꼭 넣어야 하나요/);
    await next.goto(`${server.url}/community?q=${encodeURIComponent('출고지가')}`);
    assert.match(await next.getByTestId('community-posts').innerText(), /출고지 코드도 꼭 넣어야 하나요/);
    await screenshot(next, 'community-search-desktop');
    await visitor.close();
  });
});
