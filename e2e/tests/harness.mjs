// Starts the real `gachi` binary on a fresh data directory and a real headless Chromium
// (Debian's /usr/bin/chromium through playwright-core; nothing is downloaded).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const gachiBin = process.env.GACHI_BIN ?? join(repo, 'target', 'debug', 'gachi');
export const contractBin = process.env.GACHI_CONTRACT_BIN ?? join(repo, 'target', 'debug', 'gachi-contract-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = join(repo, 'target', 'e2e-screenshots');

/** Why the suite cannot run here, or null. Under CI=true a missing piece is a failure, not a skip. */
export function missingPrerequisite() {
  const missing = [];
  if (!existsSync(gachiBin)) missing.push(`the gachi binary (${gachiBin}; run cargo build first)`);
  if (!existsSync(contractBin)) missing.push(`the contract server (${contractBin}; run cargo build -p gachi-contract)`);
  if (!existsSync(chromiumPath)) missing.push(`Chromium (${chromiumPath}; apt-get install chromium)`);
  if (missing.length === 0) return null;
  const reason = `missing ${missing.join(' and ')}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and the browser tests cannot run: ${reason}`);
  return reason;
}

export function freshDataDir(label) {
  return mkdtempSync(join(tmpdir(), `gachi-e2e-${label}-`));
}

/** Runs a gachi command to completion; returns stdout. */
export function gachi(args, input) {
  const result = spawnSync(gachiBin, args, { input, encoding: 'utf8', env: { ...process.env, GACHI_LOG: 'warn' } });
  if (result.status !== 0) throw new Error(`gachi ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Starts a marketplace stand-in (crates/contract) on a free port; resolves to { url, stop }. */
export function startContractServer(channel) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(contractBin, ['--channel', channel], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the contract server did not start in 30 s')), 30_000);
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const match = buffered.match(/listening on (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => reject(new Error(`the contract server exited with ${code}`)));
  });
}

/** Starts `gachi serve` on a free port (with `extraArgs`); resolves to { url, stop }. */
export function startServer(dataDir, extraArgs = []) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(gachiBin, ['serve', '--bind', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs], {
      env: { ...process.env, GACHI_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('gachi serve did not start in 60 s')), 60_000);
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const match = buffered.match(/serving on (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolvePromise({
          url: match[1],
          stop: () => {
            child.kill('SIGTERM');
            rmSync(dataDir, { recursive: true, force: true });
          },
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`gachi serve exited with ${code}`)));
  });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized page (360 px wide, Korean locale). */
export async function phone(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'ko-KR', deviceScaleFactor: 2 });
  return context.newPage();
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Fails when the page scrolls sideways at its width (everything must fit 360 px). */
export async function assertFitsWidth(page, assert) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
}

/** Signs in through the sign-in form and waits for the home page. */
export async function signIn(page, baseUrl, email, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('welcome').waitFor();
}

/** Clicks a form's button and waits for the page the server answers with (a note from an
 * earlier action may still be on screen, so waiting for one is not enough). */
export async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** Opens where a link points (links are boosted by htmx, so a click fires no page load). */
export async function follow(page, link) {
  await page.goto(new URL(await link.getAttribute('href'), page.url()).href);
}

/** A business registration number with its check digit (국세청's weights). */
export function checksum(prefix) {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  const d = [...prefix].map(Number);
  const s = d.reduce((acc, v, i) => acc + v * w[i], 0) + Math.floor((d[8] * 5) / 10);
  return prefix + String((10 - (s % 10)) % 10);
}
