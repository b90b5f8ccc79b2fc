// Getting back into an account in a real browser: a merchant who forgot the password calls the
// program office; the operator makes a one-time link on 사용자 관리 and sends it; on a phone the
// merchant opens it, sets a new password (a mismatched confirmation is said beside the field
// first), is told to sign in, and does with the new password; the link then says it no longer
// works. The sign-in page offers "비밀번호를 잊으셨나요?", which on a server that sends no mail
// says to call the office. Screenshots at 360 px.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, follow, freshDataDir, gachi, launchBrowser, missingPrerequisite, phone, screenshot,
  signIn, startServer, submit,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('password recovery in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;

  before(async () => {
    const dataDir = freshDataDir('password');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영기관비밀번호1\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'owner@hanok.kr', '--role', 'merchant', '--name', '한옥식당'], '잊어버린비밀번호1\n');
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('an operator makes a link; the merchant sets a new password on a phone and signs in', async () => {
    const merchant = await phone(browser);
    await merchant.goto(`${server.url}/login`);
    await follow(merchant, merchant.getByTestId('login-forgot'));
    assert.match(await merchant.getByTestId('password-forgot-call').innerText(), /운영기관에 전화/);
    await screenshot(merchant, '70-password-forgot-ko');

    const operator = await phone(browser);
    await signIn(operator, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await operator.goto(`${server.url}/staff/users`);
    const row = operator.locator('tr', { hasText: 'owner@hanok.kr' });
    await submit(operator, row.getByRole('button', { name: '재설정 링크 만들기' }));
    const link = (await operator.getByTestId('password-reset-link').innerText()).trim();
    assert.match(link, /\/password\/reset\?token=/);
    await assertFitsWidth(operator, assert);
    await screenshot(operator, '71-password-link-issued-ko');

    await merchant.goto(link);
    assert.match(await merchant.locator('body').innerText(), /owner@hanok\.kr/);
    await merchant.locator('#f-new_password').fill('새로만든비밀번호2026');
    await merchant.locator('#f-confirm_password').fill('다르게적은비밀번호');
    await submit(merchant, merchant.getByTestId('password-reset-submit'));
    assert.match(await merchant.locator('#e-confirm_password').innerText(), /서로 다릅니다/);
    await merchant.locator('#f-new_password').fill('새로만든비밀번호2026');
    await merchant.locator('#f-confirm_password').fill('새로만든비밀번호2026');
    await submit(merchant, merchant.getByTestId('password-reset-submit'));
    await merchant.waitForURL(/\/login\?done=password-reset/);
    assert.match(await merchant.getByTestId('login-done').innerText(), /비밀번호를 바꿨습니다/);
    await assertFitsWidth(merchant, assert);
    await screenshot(merchant, '72-password-reset-done-ko');

    await signIn(merchant, server.url, 'owner@hanok.kr', '새로만든비밀번호2026');
    assert.doesNotMatch(merchant.url(), /\/login/, 'signed in with the new password');
    await merchant.goto(link);
    assert.match(await merchant.getByTestId('password-reset-dead').innerText(), /이미 썼거나/);
  });
});
