// A 360 px wide phone (WeChat's built-in browser): no horizontal scrolling at standard and
// extra-large text, and the text size is remembered.

import assert from 'node:assert/strict';
import {
  ADMIN,
  WECHAT_UA,
  browserTest,
  checkA11y,
  expectText,
  expectVisible,
  gotoApp,
  signIn,
  useBrowser,
  waitForApp,
} from './lib.mjs';

useBrowser();

const PHONE = {
  viewport: { width: 360, height: 740 },
  userAgent: WECHAT_UA,
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

/** Fails when the page is wider than the 360 px screen, naming the widest elements. */
async function assertNoHorizontalScroll(page, label) {
  const { scrollWidth, culprits } = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
  });
  assert.ok(
    scrollWidth <= 360,
    `${label}: page is ${scrollWidth}px wide on a 360px screen; overflowing: ${culprits.join(', ')}`,
  );
}

async function chooseExtraLarge(page) {
  const button = page.locator('header button.size-xlarge');
  await expectText(button, '特大');
  await button.click();
  await page.waitForFunction(() => document.documentElement.classList.contains('text-xlarge'));
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('header button.size-standard').getAttribute('aria-pressed'), 'false');
}

browserTest('360 px: home and sign-in fit the screen at standard and extra-large text', async ({ page }) => {
  await gotoApp(page, '/');
  assert.equal(await page.evaluate(() => window.innerWidth), 360);
  await expectVisible(page.locator('main#main ul.stats'));
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('text-standard')));
  await assertNoHorizontalScroll(page, '/ standard');
  const standardSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

  await gotoApp(page, '/signin');
  await assertNoHorizontalScroll(page, '/signin standard');

  await chooseExtraLarge(page);
  const largeSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(largeSize > standardSize * 1.2, `text is larger (${standardSize}px → ${largeSize}px)`);
  await assertNoHorizontalScroll(page, '/signin extra large');
  await checkA11y(page, '/signin (extra large)');

  // Remembered after reload.
  await page.reload();
  await waitForApp(page);
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('text-xlarge')));
  assert.equal(await page.locator('header button.size-xlarge').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => localStorage.getItem('yishi.text-size')), 'text-xlarge');
  await assertNoHorizontalScroll(page, '/signin extra large (reloaded)');
  await checkA11y(page, '/signin (extra large, reloaded)');

  await gotoApp(page, '/');
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('text-xlarge')));
  await assertNoHorizontalScroll(page, '/ extra large');

  await gotoApp(page, '/consultations');
  await assertNoHorizontalScroll(page, '/consultations extra large');

  // Back to standard.
  await page.locator('header button.size-standard').click();
  await page.waitForFunction(() => document.documentElement.classList.contains('text-standard'));
  assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('text-xlarge'))));
}, PHONE);

browserTest('360 px: the admin account list fits the screen at standard and extra-large text', async ({ page }) => {
  await signIn(page, ADMIN.login, ADMIN.password);
  await assertNoHorizontalScroll(page, '/ signed in, standard');
  await gotoApp(page, '/admin/accounts');
  await expectVisible(page.locator('main#main table.accounts tbody tr'));
  await assertNoHorizontalScroll(page, '/admin/accounts standard');

  await chooseExtraLarge(page);
  await assertNoHorizontalScroll(page, '/admin/accounts extra large');
  await checkA11y(page, '/admin/accounts (extra large)');

  await page.reload();
  await waitForApp(page);
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('text-xlarge')));
  await expectVisible(page.locator('main#main table.accounts tbody tr'));
  await assertNoHorizontalScroll(page, '/admin/accounts extra large (reloaded)');
  await checkA11y(page, '/admin/accounts (extra large, reloaded)');

  for (const path of ['/admin', '/admin/accounts/new', '/admin/import']) {
    await gotoApp(page, path);
    await assertNoHorizontalScroll(page, `${path} extra large`);
  }
}, PHONE);
