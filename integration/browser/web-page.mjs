// The daemon's web page in a real browser (ApiIT runs this): Debian's headless chromium driven by
// playwright-core. Load the page, see the VM become ready, type into its serial console and read the
// guest's answer, open its VNC display with the password, stop it with the button and see "stopped".
// Screenshots go to QC_ARTIFACTS. One line per step on stdout ("STEP name ms"); exit 1 on a failure.
//
// Environment: QC_URL (the page, with #token=… when over TCP), QC_VM, QC_ARTIFACTS,
// QC_VNC_PASSWORD (optional: skip the display without it), QC_READY_TIMEOUT_S (default 600).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const url = need('QC_URL');
const vm = need('QC_VM');
const artifacts = need('QC_ARTIFACTS');
const vncPassword = process.env.QC_VNC_PASSWORD || '';
const readyTimeout = Number(process.env.QC_READY_TIMEOUT_S || 600) * 1000;
mkdirSync(artifacts, { recursive: true });

function need(name) {
  const v = process.env[name];
  if (!v) { console.error(`web-page.mjs: ${name} is not set`); process.exit(2); }
  return v;
}

const started = Date.now();
function step(name) { console.log(`STEP ${name} ${Date.now() - started}`); }

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // root in a container: no sandbox; no network of its own beyond the page (the machine has none)
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('console', m => { if (m.type() === 'error') console.log(`CONSOLE ${m.text()}`); });
  page.on('pageerror', e => console.log(`PAGEERROR ${e.message}`));
  await page.goto(url);
  const row = page.locator(`tr[data-vm="${vm}"]`);
  const state = row.locator('td.state');
  await row.waitFor({ timeout: 60_000 });
  step('loaded');
  if (new URL(page.url()).hash) throw new Error('the token is still in the URL after load');
  await page.locator('#stream.live').waitFor({ timeout: 30_000 });
  step('events-live');
  await expectText(state, 'ready', readyTimeout);
  step('ready');

  await row.getByRole('button', { name: 'Console' }).click();
  const screen = page.locator('#terminal .xterm-rows');
  await screen.waitFor({ timeout: 30_000 });
  await page.locator('#terminal').click();
  await page.keyboard.press('Enter');
  await expectText(screen, 'login:', 60_000);
  step('console-login-prompt');
  await page.keyboard.type('root');
  await page.keyboard.press('Enter');
  await expectText(screen, 'Password:', 60_000);
  step('console-password-prompt');
  await page.screenshot({ path: join(artifacts, 'web-page-console.png'), fullPage: true });

  if (vncPassword) {
    await row.getByRole('button', { name: 'Display' }).click();
    await page.locator('#vnc-login').waitFor({ timeout: 30_000 });
    await page.locator('#vnc-password').fill(vncPassword);
    await page.locator('#vnc-login button[type=submit]').click();
    await expectText(page.locator('#vnc-status'), 'connected', 30_000);
    await page.locator('#screen canvas').waitFor({ timeout: 30_000 });
    step('vnc-connected');
    await page.screenshot({ path: join(artifacts, 'web-page-vnc.png'), fullPage: true });
    await page.locator('#vnc-close').click();
  }

  await row.getByRole('button', { name: 'Stop' }).click();
  await expectText(state, 'stopping', 30_000);
  step('stop-clicked');
  await expectText(state, 'stopped', 300_000);
  step('stopped');
  await page.screenshot({ path: join(artifacts, 'web-page-stopped.png'), fullPage: true });
} catch (e) {
  console.log(`FAILED ${e.message}`);
  if (page) await page.screenshot({ path: join(artifacts, 'web-page-failure.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function expectText(locator, text, timeout) {
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    seen = (await locator.textContent({ timeout: 10_000 }).catch(() => seen)) || '';
    if (seen.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for "${text}", last seen: "${seen.slice(-300)}"`);
    await new Promise(r => setTimeout(r, 250));
  }
}
