import { chromium } from 'playwright-core';
const [,, base, email, password, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const width of [360, 1280]) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale: 'ko-KR' });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('welcome').waitFor();
  for (const p of paths) {
    const [path, action] = p.split('!');
    await page.goto(`${base}${path}`);
    if (action) { await Promise.all([page.waitForNavigation(), page.getByTestId(action).click()]); }
    const name = `${width}-${path.replace(/[^a-z0-9]+/gi, '_')}${action ? '-' + action : ''}`;
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
    await page.screenshot({ path: `/tmp/shots/${name}-top.png` });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.screenshot({ path: `/tmp/shots/${name}-bottom.png` });
    console.log(name, page.url());
  }
  await ctx.close();
}
await browser.close();
