// A demo member signs in, sees their own page, and signs out; a wrong password is refused.

import assert from 'node:assert/strict';
import {
  MEMBER,
  browserTest,
  checkA11y,
  expectText,
  expectVisible,
  gotoApp,
  pathOf,
  signIn,
  signOut,
  useBrowser,
  waitForApp,
  waitForHeaderUser,
  waitForPath,
} from './lib.mjs';

useBrowser();

browserTest('member signs in, sees 我的履职, and signs out', async ({ page }) => {
  await signIn(page, MEMBER.login, MEMBER.password);
  await waitForHeaderUser(page, MEMBER.name);
  const header = page.locator('header.site-header');
  assert.equal(await header.getByRole('link', { name: '登录', exact: true }).count(), 0);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expectVisible(nav.getByRole('link', { name: '我的履职', exact: true }));
  // A member is not staff: no 管理 link.
  assert.equal(await nav.getByRole('link', { name: '管理', exact: true }).count(), 0);
  // Signed in: the sign-in hint on the home page is gone.
  assert.equal(await page.getByText('委员登录后还可以看到仅对委员开放的内容').count(), 0);

  await nav.getByRole('link', { name: '我的履职', exact: true }).click();
  await waitForPath(page, '/me');
  await checkA11y(page, '/me (member)');
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), '我的履职');
  await expectVisible(main.getByRole('heading', { level: 2, name: '我的信息' }));
  await expectText(main.locator('.profile-name'), MEMBER.name);
  const facts = main.locator('dl.facts');
  await expectText(facts.locator('dt', { hasText: '角色' }).locator('xpath=following-sibling::dd[1]'), '委员');
  await expectText(facts.locator('dt', { hasText: '界别' }).locator('xpath=following-sibling::dd[1]'), '经济界');
  await expectText(
    facts.locator('dt', { hasText: '专委会' }).locator('xpath=following-sibling::dd[1]'),
    '经济委员会',
  );
  await expectVisible(main.getByText('您还没有参加远程协商或网络议政。受邀参加后会显示在这里。'));
  await expectVisible(main.getByRole('button', { name: '退出所有设备' }));

  // The member's profile page (visible to signed-in users).
  await main.getByRole('link', { name: '查看资料页', exact: true }).click();
  await page.waitForURL((url) => /^\/members\/\d+$/.test(url.pathname));
  await waitForApp(page);
  await expectText(main.locator('h1'), MEMBER.name);
  await expectText(facts.locator('dt', { hasText: '界别' }).locator('xpath=following-sibling::dd[1]'), '经济界');
  await checkA11y(page, '/members/:id');
  const profilePath = pathOf(page);

  // Still signed in after a reload (the session cookie is kept).
  await gotoApp(page, '/me');
  await waitForHeaderUser(page, MEMBER.name);
  await expectText(main.locator('.profile-name'), MEMBER.name);

  await signOut(page);
  assert.equal(pathOf(page), '/');
  assert.equal(await nav.getByRole('link', { name: '我的履职' }).count(), 0);

  await gotoApp(page, '/me');
  await expectText(main.locator('h1'), '需要登录');
  // Profiles are not public.
  await gotoApp(page, profilePath);
  await expectText(main.locator('h1'), '需要登录');
  await expectVisible(main.getByRole('link', { name: '登录', exact: true }));
});

browserTest('signing in returns to the page asked for (?next=)', async ({ page }) => {
  await gotoApp(page, '/signin?next=%2Fme');
  await page.locator('#login').fill(MEMBER.login);
  await page.locator('#password').fill(MEMBER.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await waitForPath(page, '/me');
  await checkA11y(page, '/me (after ?next=)');
  await expectText(page.locator('main#main .profile-name'), MEMBER.name);
});

browserTest('a wrong password shows an error and stays on /signin', async ({ page, allowConsoleError }) => {
  // Chrome logs every non-2xx response as a console error; the 401 here is expected.
  allowConsoleError(/status of 401 .*\/api\/v1\/session\)$/);
  await gotoApp(page, '/signin');
  await page.locator('#login').fill(MEMBER.login);
  await page.locator('#password').fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  const alert = page.locator('main#main').getByRole('alert');
  await expectText(alert, '用户名、手机号或密码不正确。');
  await checkA11y(page, '/signin (wrong password)');
  assert.equal(pathOf(page), '/signin');
  await waitForHeaderUser(page, null);
  // The login is kept so that the person only retypes the password.
  assert.equal(await page.locator('#login').inputValue(), MEMBER.login);
  await expectVisible(page.getByRole('button', { name: '登录', exact: true }));

  // An unknown user gets the same message (no account enumeration).
  await page.locator('#login').fill('nobody-here');
  await page.locator('#password').fill('whatever-123');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expectText(alert, '用户名、手机号或密码不正确。');
  assert.equal(pathOf(page), '/signin');

  // Signing in by phone number works too (member1's phone in the demo data).
  await page.locator('#login').fill('13904680001');
  await page.locator('#password').fill(MEMBER.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await waitForPath(page, '/');
  await waitForHeaderUser(page, MEMBER.name);
  await checkA11y(page, '/ (signed in by phone number)');
});

browserTest('signing out everywhere signs out another open browser at once', async ({ page, context }) => {
  // member11 is used only here, so other tests' sessions are not affected.
  const login = 'member11';
  const other = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const otherPage = await other.newPage();
    const otherErrors = [];
    otherPage.on('pageerror', (err) => otherErrors.push(err.message));
    await signIn(otherPage, login, MEMBER.password);
    await gotoApp(otherPage, '/me');
    await expectVisible(otherPage.getByRole('heading', { level: 2, name: '我的信息' }));

    await signIn(page, login, MEMBER.password);
    await gotoApp(page, '/me');
    await page.getByRole('button', { name: '退出所有设备', exact: true }).click();
    await waitForPath(page, '/signin');

    // The other browser learns it over its event stream, without a reload.
    await waitForPath(otherPage, '/signin');
    await waitForHeaderUser(otherPage, null);
    await checkA11y(otherPage, '/signin (signed out from elsewhere)');
    assert.deepEqual(otherErrors, []);
  } finally {
    await other.close();
  }
});
