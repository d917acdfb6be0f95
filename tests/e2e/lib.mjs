// Shared helpers for the browser end-to-end tests (node:test + playwright-core).
//
// Every test file calls `useBrowser()` once at the top level: it launches one Chromium for the
// file and closes it afterwards. Each test then calls `browserTest(name, fn, contextOptions)`,
// which gives `fn` a fresh browser context (locale zh-CN) and page, fails the test on any
// console error or uncaught page error, and closes the context afterwards.
//
// `gotoApp` loads a path, waits until the app has mounted and the page's content has loaded
// (no fixed sleeps), and runs the accessibility check on it. After in-app navigation (clicking
// a link) call `waitForApp` and `checkA11y` yourself.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8765').replace(/\/$/, '');

/** Demo accounts (see crates/server/src/demo.rs). */
export const ADMIN = { login: 'admin', password: 'yishi-admin-2026', name: '王琳' };
export const MEMBER = { login: 'member1', password: 'yishi-demo-2026', name: '张立新' };

/** Mobile WeChat browser on Android. */
export const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47';

const TIMEOUT = 10_000;

/** A suffix that makes usernames (and phone numbers) unique per run. */
export function uniqueSuffix() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36).padStart(2, '0')}`;
}

/** An 11-digit mainland mobile number that is unique per call within a run. */
let phoneCounter = 0;
export function uniquePhone(prefix = '17') {
  const digits = String(Date.now() * 10 + (phoneCounter++ % 10)).slice(-(11 - prefix.length));
  return prefix + digits;
}

let browser;

/** Launches one browser for this test file (call once at the top level of the file). */
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  after(async () => {
    await browser?.close();
  });
}

// Console messages that are not failures of the app.
const IGNORED_CONSOLE = [
  // Chrome's note about `integrity` on <link rel=preload> (a warning, listed just in case).
  /The `integrity` attribute is currently ignored for preload destinations/,
];

/**
 * A test with its own browser context and page. `fn({ page, context, allowConsoleError })`.
 * `allowConsoleError(regex)` declares a console error the test expects (for example the
 * "Failed to load resource … 401" Chrome logs for a rejected password).
 */
export function browserTest(name, fn, contextOptions = {}) {
  test(name, async (t) => {
    const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, ...contextOptions });
    context.setDefaultTimeout(TIMEOUT);
    context.setDefaultNavigationTimeout(TIMEOUT * 2);
    const page = await context.newPage();
    const problems = [];
    const allowed = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (IGNORED_CONSOLE.some((re) => re.test(text))) return;
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      problems.push(`console error on ${page.url()}: ${text}${where}`);
    });
    page.on('pageerror', (err) => {
      problems.push(`page error on ${page.url()}: ${err.stack || err.message}`);
    });
    const allowConsoleError = (re) => allowed.push(re);
    let failed = false;
    try {
      await fn({ page, context, allowConsoleError, t });
    } catch (err) {
      failed = true;
      await saveScreenshot(page, name);
      if (problems.length) console.error(`the page also logged:\n${problems.join('\n')}`);
      throw err;
    } finally {
      await context.close();
    }
    if (!failed) {
      const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)));
      assert.deepEqual(unexpected, [], `the page logged errors:\n${unexpected.join('\n')}`);
    }
  });
}

async function saveScreenshot(page, name) {
  try {
    const dir = join(tmpdir(), 'yishi-e2e-failures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 80)}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.error(`screenshot of the failure: ${file} (at ${page.url()})`);
  } catch {
    // The page may already be gone.
  }
}

/**
 * Waits until the app has mounted (the boot element is gone, main#main exists) and the routed
 * page has rendered its content: a heading is in main and nothing in main is still loading.
 */
export async function waitForApp(page) {
  await page.waitForFunction(
    () => {
      if (document.getElementById('boot')) return false;
      const main = document.querySelector('main#main');
      if (!main) return false;
      if (main.querySelector('.state.loading')) return false;
      return !!main.querySelector('h1') && (main.textContent ?? '').trim().length > 0;
    },
    null,
    { timeout: TIMEOUT },
  );
}

/** Loads `path`, waits for the rendered page and (unless `a11y: false`) checks accessibility. */
export async function gotoApp(page, path, { a11y = true } = {}) {
  const response = await page.goto(BASE_URL + path);
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), 200, `HTTP status of ${path}`);
  await waitForApp(page);
  if (a11y) await checkA11y(page, path);
}

/** Waits until the browser is at `path` (exact pathname) and the page there has rendered. */
export async function waitForPath(page, path) {
  await page.waitForURL((url) => url.pathname === path, { timeout: TIMEOUT });
  await waitForApp(page);
}

/** The pathname of the current URL. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * Runs axe-core on the current page and fails on any `serious` or `critical` violation,
 * naming the rule, the elements and the help text.
 */
export async function checkA11y(page, label) {
  // A page state already checked in this file (same markup, same viewport) gives the same
  // result: skip it, e.g. the empty sign-in form visited by every signIn().
  const state = await page.evaluate(
    () => `${window.innerWidth}x${window.innerHeight}\n${document.documentElement.outerHTML}`,
  );
  const key = createHash('sha256').update(state).digest('hex');
  if (checkedStates.has(key)) return;
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ')}`)
          .join('\n'),
    )
    .join('\n');
  assert.equal(bad.length, 0, `accessibility violations on ${label} (${page.url()}):\n${report}`);
  checkedStates.add(key);
}

const checkedStates = new Set();

/** Polls until `locator` has exactly `expected` text (or matches a RegExp). */
export async function expectText(locator, expected, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = (await locator.innerText({ timeout: 500 })).trim();
      if (expected instanceof RegExp ? expected.test(last) : last === expected) return last;
    } catch (err) {
      last = `<${err.message.split('\n')[0]}>`;
    }
    if (Date.now() > deadline) {
      assert.fail(`expected ${locator} to have text ${expected}, last saw: ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until `locator` is visible, with a clear failure. */
export async function expectVisible(locator, timeout = TIMEOUT) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    assert.fail(`expected ${locator} to be visible`);
  }
}

/** Waits until `locator` matches nothing (or only hidden elements). */
export async function expectHidden(locator, timeout = TIMEOUT) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout });
  } catch {
    assert.fail(`expected ${locator} to be hidden`);
  }
}

/** The header's signed-in user name, or null when the header offers 登录. */
export async function waitForHeaderUser(page, expectedName) {
  const header = page.locator('header.site-header');
  if (expectedName === null) {
    await expectVisible(header.getByRole('link', { name: '登录', exact: true }));
    assert.equal(await header.locator('.user-name').count(), 0, 'no user name in the header');
    return;
  }
  await expectText(header.locator('.user-name'), expectedName);
}

/**
 * Signs in through the form at /signin. Waits until the app navigated away from /signin
 * (to `expectPath`, "/" by default) and the header shows a signed-in user, then checks the
 * accessibility of the page it landed on.
 */
export async function signIn(page, login, password, { expectPath = '/' } = {}) {
  await gotoApp(page, '/signin');
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await waitForPath(page, expectPath);
  await expectVisible(page.locator('header.site-header .user-name'));
  await checkA11y(page, `${expectPath} (signed in as ${login})`);
}

/** Clicks 退出登录 in the header, waits for the signed-out home page and checks it. */
export async function signOut(page) {
  await page.locator('header.site-header').getByRole('button', { name: '退出登录', exact: true }).click();
  await waitForHeaderUser(page, null);
  await waitForPath(page, '/');
  await checkA11y(page, '/ (signed out)');
}

/**
 * Signs in to the JSON API (not the browser) and returns `get(path)` for admin-only reads,
 * for checks that must not depend on what earlier runs left in the database, and `post(path,
 * data)` for setting up what a scenario needs but does not test.
 */
export async function apiSignIn(login, password) {
  const api = await request.newContext({ baseURL: BASE_URL });
  const anonymous = await (await api.get('/api/v1/session')).json();
  const response = await api.post('/api/v1/session', {
    data: { login, password },
    headers: { 'X-CSRF-Token': anonymous.csrf_token },
  });
  assert.equal(response.status(), 200, `API sign-in as ${login}`);
  const { csrf_token: csrf } = await response.json();
  return {
    async get(path) {
      const r = await api.get(`/api/v1${path}`);
      assert.equal(r.status(), 200, `GET ${path}`);
      return r.json();
    },
    /** A state-changing call for setting up a scenario; fails unless it succeeds. */
    async post(path, data) {
      const r = await api.post(`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrf } });
      assert.ok(r.ok(), `POST ${path}: ${r.status()} ${await r.text()}`);
      const text = await r.text();
      return text ? JSON.parse(text) : null;
    },
    dispose: () => api.dispose(),
  };
}
