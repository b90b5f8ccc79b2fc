// 디지털 유통설계사 certificates in a real browser: an operator issues one to a designer; the
// designer finds it under 자격증 and opens the printable certificate with its QR code; a visitor
// verifies it at /verify/… without signing in; the operator revokes it and the visitor's page
// says so. The downloaded credential verifies offline with `gachi certificates verify`, and
// fails, naming the signature, once one character of it is changed. Screenshots at 360 px.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertFitsWidth, freshDataDir, gachi, gachiBin, launchBrowser, missingPrerequisite, phone, screenshot, signIn,
  startServer,
} from './harness.mjs';

const skip = missingPrerequisite();

describe('designer certificates in headless Chromium', { skip: skip ?? false }, () => {
  let server;
  let browser;
  let dataDir;

  before(async () => {
    dataDir = freshDataDir('certificates');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'ops@program.kr', '--role', 'operator', '--name', '운영팀'], '운영기관비밀번호1\n');
    gachi(['user', 'create', '--data-dir', dataDir, '--email', 'kim@designer.kr', '--role', 'designer', '--name', '김설계', '--region', '52110'], '설계사비밀번호12\n');
    server = await startServer(dataDir);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test('issued, shown, printed, verified by anyone, checked offline and revoked', async () => {
    const operator = await phone(browser);
    await signIn(operator, server.url, 'ops@program.kr', '운영기관비밀번호1');
    await operator.goto(`${server.url}/certificates`);
    await operator.locator('#f-holder').selectOption({ label: '김설계 · kim@designer.kr' });
    await operator.locator('#f-level').selectOption('2');
    await operator.getByTestId('certificate-issue-submit').click();
    const alert = await operator.getByTestId('certificates-alert').innerText();
    const number = alert.match(/DDS-\d{4}-\d{6}/)[0];
    await assertFitsWidth(operator, assert);
    await screenshot(operator, '40-certificates-issued-ko');

    const designer = await phone(browser);
    await signIn(designer, server.url, 'kim@designer.kr', '설계사비밀번호12');
    await designer.goto(`${server.url}/certificates`);
    const card = designer.getByTestId(`certificate-${number}`);
    assert.match(await card.innerText(), /디지털 유통설계사 2급/);
    assert.match(await card.innerText(), /유효/);
    await designer.goto(`${server.url}/certificates/${number}/print`);
    assert.match(await designer.getByTestId('certificate-legal').innerText(), /국가공인자격이 아닙니다/);
    assert.equal(await designer.locator('.qr svg').count(), 1, 'a QR code to the verification page');
    await assertFitsWidth(designer, assert);
    await screenshot(designer, '41-certificate-print-ko');

    // The credential as downloaded verifies offline; one changed character does not.
    const credential = await (await fetch(`${server.url}/api/v1/certificates/${number}`)).text();
    const file = join(dataDir, 'certificate.json');
    writeFileSync(file, credential);
    assert.match(gachi(['certificates', 'verify', file, '--data-dir', dataDir]), /valid: 디지털 유통설계사 2급/);
    const altered = JSON.parse(credential);
    altered.credentialSubject.identifier[0].identityHash = '김설게';
    writeFileSync(file, JSON.stringify(altered));
    const refused = spawnSync(gachiBin, ['certificates', 'verify', file, '--data-dir', dataDir], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /not valid: signature/);

    const visitor = await phone(browser);
    await visitor.goto(`${server.url}/verify/${number}`);
    assert.match(await visitor.getByTestId('verify-holder').innerText(), /김설계/);
    assert.match(await visitor.getByTestId('verify-status').innerText(), /유효/);
    assert.match(await visitor.getByTestId('verify-signature').innerText(), /전자서명이 확인되었습니다/);
    await assertFitsWidth(visitor, assert);
    await screenshot(visitor, '42-verify-valid-ko');

    await operator.goto(`${server.url}/certificates`);
    await operator.locator(`#r-${number}`).fill('부정 응시 확인');
    await operator.getByTestId(`certificate-${number}`).getByRole('button', { name: '취소하기' }).click();
    // The list comes back with the certificate marked revoked (the address does not change).
    await operator.getByTestId(`certificate-${number}`).getByText('취소됨').waitFor();
    await visitor.reload();
    assert.match(await visitor.getByTestId('verify-status').innerText(), /취소됨/);
    assert.match(await visitor.getByTestId('verify-revoked').innerText(), /부정 응시 확인/);
    await screenshot(visitor, '43-verify-revoked-ko');

    const unknown = await visitor.goto(`${server.url}/verify/DDS-1999-000001`);
    assert.equal(unknown.status(), 404);
  });
});
