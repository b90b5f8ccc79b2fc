// Courses in a real browser: the operator writes a course and a module with a two-question quiz
// on a desktop; a designer on a phone reads the module, answers one question wrong and is told
// so, answers both right and sees the course completed. The quiz's right answers are never in
// the page. Screenshots at 1280 px and 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot, signIn, startServer,
  submit,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('courses in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    const dataDir = freshDataDir('courses');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영팀비밀번호123\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--role', 'designer', '--name', '김설계', '--region', '52110'], '설계사비밀번호12\n');
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('written by the operator, failed once and then passed by a designer', async () => {
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const operator = await desk.newPage();
    await signIn(operator, server.url, 'ops@program.kr', '운영팀비밀번호123');
    await operator.goto(`${server.url}/courses`);
    await operator.getByLabel('과정 이름').fill('마켓 입점 실무');
    await operator.getByLabel('분야').selectOption('listing');
    await operator.getByLabel('소개').fill('네 마켓의 입점 규칙');
    await submit(operator, operator.getByTestId('course-create'));
    await operator.getByLabel('모듈 제목').fill('쿠팡 OPEN API 키');
    await operator.getByLabel('내용 (마크다운)').fill('쿠팡 키는 **180일** 동안 씁니다. 만료 14일 전부터 다시 받을 수 있습니다.');
    // A quiz line without a starred answer is refused beside the form, with the text kept.
    await operator.getByLabel('확인 문제').fill('키는 며칠 동안 쓰나요? | 30일 | 180일');
    await submit(operator, operator.getByTestId('module-add'));
    assert.match(await operator.getByTestId('module-error').first().innerText(), /정답 보기 하나에만/);
    assert.equal(await operator.getByLabel('모듈 제목').inputValue(), '쿠팡 OPEN API 키');
    await operator.getByLabel('확인 문제').fill('키는 며칠 동안 쓰나요? | 30일 | *180일\n재발급은 만료 며칠 전부터? | *14일 | 1일');
    await submit(operator, operator.getByTestId('module-add'));
    assert.match(await operator.locator('.modules').innerText(), /1\. 쿠팡 OPEN API 키[\s\S]*문제 2개/);
    await screenshot(operator, '80-course-authored-desktop-ko');
    const coursePath = new URL(operator.url()).pathname;
    await desk.close();

    const designer = await phone(browser);
    await signIn(designer, server.url, 'kim@designer.kr', '설계사비밀번호12');
    await designer.goto(`${server.url}/courses`);
    assert.match(await designer.locator('[data-testid^="course-"]').first().innerText(), /마켓 입점 실무[\s\S]*모듈 1개 중 0개 통과/);
    await designer.goto(`${server.url}${coursePath}`);
    await designer.getByRole('link', { name: /쿠팡 OPEN API 키/ }).click();
    await designer.getByTestId('module-body').waitFor();
    assert.doesNotMatch(await designer.content(), /\*180일|\*14일/, 'no right answer in the page');
    await designer.getByLabel('180일').check();
    await designer.getByLabel('1일').check();
    await submit(designer, designer.getByTestId('quiz-submit'));
    assert.match(await designer.getByTestId('quiz-result').innerText(), /2문제 중 1문제를 맞혔습니다/);
    await designer.getByLabel('180일').check();
    await designer.getByLabel('14일').check();
    await submit(designer, designer.getByTestId('quiz-submit'));
    assert.match(await designer.getByTestId('quiz-result').innerText(), /통과했습니다/);
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '81-course-module-passed-ko');
    await designer.goto(`${server.url}/courses`);
    assert.match(await designer.locator('[data-testid^="course-"]').first().innerText(), /수료/);
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '82-courses-completed-ko');
  });
});
