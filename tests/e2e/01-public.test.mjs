// A visitor who is not signed in: home page, area pages, page titles, protected and unknown
// pages, and the language switch.

import assert from 'node:assert/strict';
import {
  ADMIN,
  BASE_URL,
  MEMBER,
  apiSignIn,
  browserTest,
  checkA11y,
  expectText,
  expectVisible,
  gotoApp,
  pathOf,
  signIn,
  useBrowser,
  waitForApp,
  waitForPath,
} from './lib.mjs';

useBrowser();

const COMMITTEE = '鹤岗市政协';

browserTest('public visitor browses the home page and the three areas', async ({ page }) => {
  // The demo data has 40 members and 8 sectors; other tests (in this or an earlier run against
  // the same database) add members named e2e.* and sectors named 测试界别*.
  const admin = await apiSignIn(ADMIN.login, ADMIN.password);
  const added = await admin.get('/admin/accounts?q=e2e.&role=member&active=true&limit=1');
  const org = await admin.get('/org');
  await admin.dispose();
  const memberCount = 40 + added.total;
  const sectorCount = org.sectors.length;
  assert.equal(org.sectors.filter((s) => !s.name.startsWith('测试界别')).length, 8, 'demo sectors');

  await gotoApp(page, '/');
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), new RegExp(`^${COMMITTEE}`));
  await expectText(page.locator('header .brand-committee'), COMMITTEE);
  const stats = main.locator('ul.stats li');
  assert.equal(await stats.count(), 3);
  await expectText(stats.nth(0), `${memberCount} 位委员`);
  await expectText(stats.nth(1), `${sectorCount} 个界别`);
  await expectText(stats.nth(2), '2 个委员工作站');
  await expectVisible(main.getByRole('heading', { level: 2, name: '正在进行' }));
  // The demo's open public reading group is listed; its members-only one is not.
  await expectVisible(main.getByRole('link', { name: '《乡土中国》读书群' }));
  assert.equal(await main.getByRole('link', { name: '“百年湖湘潮”党史读书群' }).count(), 0);
  await expectVisible(main.getByText('委员登录后还可以看到仅对委员开放的内容'));
  await expectText(page.locator('footer .footer-committee'), COMMITTEE);

  // Server-filled document title.
  assert.equal(await page.title(), `议事 · ${COMMITTEE}`);

  const nav = page.getByRole('navigation', { name: '主导航' });
  // Signed out: no 我的履职 or 管理 links.
  assert.equal(await nav.getByRole('link', { name: '我的履职' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: '管理' }).count(), 0);

  const areas = [
    { link: '远程协商', path: '/consultations', empty: '目前没有公开的远程协商或网络议政议题。' },
    // The demo holds a resolved micro-consultation (its resident's contact is never shown).
    { link: '微协商', path: '/micro-consultations', item: '光明社区3号楼供水不畅' },
    { link: '委员读书', path: '/reading-groups', item: '《乡土中国》读书群' },
  ];
  for (const area of areas) {
    await nav.getByRole('link', { name: area.link, exact: true }).click();
    await waitForPath(page, area.path);
    await expectText(main.locator('h1'), area.link);
    if (area.empty) {
      await expectText(main.locator('.state.empty'), area.empty);
    } else {
      await expectVisible(main.getByRole('link', { name: area.item }));
    }
    // In-app navigation keeps the document title in step (the server fills it on full loads).
    await page.waitForFunction((t) => document.title === t, `${area.link} · 议事 · ${COMMITTEE}`);
    assert.equal(
      await nav.getByRole('link', { name: area.link, exact: true }).getAttribute('aria-current'),
      'page',
      `${area.link} is marked as the current page`,
    );
    await checkA11y(page, area.path);
  }

  // Back home through the nav.
  await nav.getByRole('link', { name: '首页', exact: true }).click();
  await waitForPath(page, '/');
  await expectText(main.locator('h1'), new RegExp(`^${COMMITTEE}`));
  await checkA11y(page, '/ (back from the areas)');
});

browserTest('the server fills title and Open Graph tags in the served HTML', async ({ page }) => {
  for (const [path, title] of [
    ['/', `议事 · ${COMMITTEE}`],
    ['/consultations', `远程协商 · 议事 · ${COMMITTEE}`],
    ['/signin', `登录 · 议事 · ${COMMITTEE}`],
  ]) {
    const response = await page.request.get(BASE_URL + path);
    assert.equal(response.status(), 200, path);
    assert.match(response.headers()['content-type'], /^text\/html/);
    const html = await response.text();
    assert.ok(html.includes(`<title>${title}</title>`), `${path} has <title>${title}</title>`);
    const og = html.match(/<meta property="og:title" content="([^"]*)">/);
    assert.ok(og, `${path} has meta og:title`);
    assert.equal(og[1], title);
    assert.match(html, /<meta name="description" content="[^"]+">/);
  }
  // And the browser sees it too.
  await gotoApp(page, '/consultations');
  assert.equal(await page.title(), `远程协商 · 议事 · ${COMMITTEE}`);
  assert.equal(
    await page.locator('meta[property="og:title"]').getAttribute('content'),
    `远程协商 · 议事 · ${COMMITTEE}`,
  );
});

browserTest('an anonymous visitor to /me is asked to sign in', async ({ page }) => {
  await gotoApp(page, '/me');
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), '需要登录');
  await expectVisible(main.getByText('此页面仅对已登录的委员、部门和机关工作人员开放。'));
  const link = main.getByRole('link', { name: '登录', exact: true });
  await expectVisible(link);
  assert.equal(await link.getAttribute('href'), '/signin?next=%2Fme');
  await link.click();
  await waitForPath(page, '/signin');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/me');
  await expectText(main.locator('h1'), '登录议事平台');
  await checkA11y(page, '/signin?next=/me');
});

browserTest('an unknown address shows 页面不存在', async ({ page }) => {
  await gotoApp(page, '/no-such-page/at-all');
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), '页面不存在');
  await expectVisible(main.getByText('您访问的页面不存在或已被移除。'));
  await main.getByRole('link', { name: '返回首页' }).click();
  await waitForPath(page, '/');
  assert.equal(pathOf(page), '/');
  await expectText(main.locator('h1'), new RegExp(`^${COMMITTEE}`));
  await checkA11y(page, '/ (from 页面不存在)');
});

browserTest('language switch to English is remembered after reload', async ({ page }) => {
  await gotoApp(page, '/');
  const nav = page.locator('nav.main-nav');
  const langButton = page.locator('header button.lang-switch');
  // Its accessible name is its visible text (WCAG 2.5.3).
  await expectVisible(page.getByRole('button', { name: 'English', exact: true }));
  await expectText(langButton, 'English');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');

  await langButton.click();
  await expectVisible(nav.getByRole('link', { name: 'Consultations', exact: true }));
  await expectText(langButton, '中文');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await expectVisible(page.getByRole('heading', { level: 2, name: 'Open now' }));
  assert.equal(await nav.getByRole('link', { name: '远程协商' }).count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('yishi.locale')), 'en');
  await checkA11y(page, '/ (English)');

  await page.reload();
  await waitForApp(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await expectVisible(nav.getByRole('link', { name: 'Consultations', exact: true }));
  await expectText(langButton, '中文');
  await checkA11y(page, '/ (English, reloaded)');

  // English on another page too.
  await nav.getByRole('link', { name: 'Reading groups', exact: true }).click();
  await waitForPath(page, '/reading-groups');
  await expectText(page.locator('main#main h1'), 'Reading groups');
  await checkA11y(page, '/reading-groups (English)');

  // And back to Chinese.
  await langButton.click();
  await expectText(langButton, 'English');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await expectText(page.locator('main#main h1'), '委员读书');
  await expectVisible(nav.getByRole('link', { name: '远程协商', exact: true }));
  await page.reload();
  await waitForApp(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await expectText(langButton, 'English');
  await checkA11y(page, '/reading-groups (Chinese again, reloaded)');
});

browserTest('a visitor opening a shared thread gets the small reader, and the whole app beyond it', async ({ page }) => {
  const groups = await (await fetch(`${BASE_URL}/api/v1/reading-groups`)).json();
  const group = groups.items.find((g) => g.name === '《乡土中国》读书群');
  assert.ok(group, 'the demo public group');
  const path = `/reading-groups/${group.id}`;
  const scripts = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('.wasm')) scripts.push(url.pathname);
  });

  // The thread comes with the reading reader, not the whole app; it reads as in the app.
  const readerOnly = () => assert.deepEqual(
    scripts.map((s) => s.split('/').slice(1, 3).join('/')), ['reader/reading'], `only the reader: ${scripts}`);
  await gotoApp(page, path);
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), '《乡土中国》读书群');
  const firstPost = main.locator('.reading-post', { hasText: '第一周导读：乡土本色' });
  await expectVisible(firstPost);
  readerOnly();
  assert.match(await page.title(), /《乡土中国》读书群/);

  // One post's own page is in the same reader: no other download.
  await firstPost.locator('a.permalink').first().click();
  await page.waitForURL((u) => u.pathname.startsWith(`${path}/posts/`));
  await expectText(main.locator('h1'), '读书交流');
  await expectVisible(main.locator('.reading-post', { hasText: '第一周导读：乡土本色' }));
  readerOnly();
  await page.goBack();
  await waitForPath(page, path);
  await expectVisible(firstPost);

  // The language switch works in the reader and carries over to the whole app.
  const langButton = page.locator('header button.lang-switch');
  await langButton.click();
  await expectText(langButton, '中文');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expectVisible(nav.getByRole('link', { name: 'Consultations', exact: true }));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');

  // A page beyond the reader loads the whole app, at the address the visitor chose.
  await nav.getByRole('link', { name: 'Consultations', exact: true }).click();
  await waitForPath(page, '/consultations');
  await expectText(main.locator('h1'), 'Consultations');
  assert.ok(scripts.some((s) => !s.startsWith('/reader/')), `the whole app loaded: ${scripts}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await checkA11y(page, '/consultations (after the reader)');

  // Back returns to the thread; in the whole app from now on.
  await page.goBack();
  await waitForPath(page, path);
  await expectVisible(main.locator('.reading-post', { hasText: '第一周导读：乡土本色' }));
  await langButton.click();
  await expectText(langButton, 'English');

  // Sign-in is in the whole app; a signed-in member gets the whole app for the thread.
  const served = await (await page.request.get(BASE_URL + path)).text();
  assert.ok(served.includes('/reader/reading/'), 'a visitor is sent the reading reader');
  await signIn(page, MEMBER.login, MEMBER.password);
  const signedIn = await (await page.request.get(BASE_URL + path)).text();
  assert.ok(!signedIn.includes('/reader/'), 'a member is sent the whole app');
  for (const other of ['/reading-groups', '/consultations/new', `${path}/edit`]) {
    const html = await (await fetch(BASE_URL + other)).text();
    assert.ok(!html.includes('/reader/'), `${other} is not the reader's`);
  }
});
