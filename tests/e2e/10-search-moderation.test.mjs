// Search, notifications and moderation end to end: the public finds the demo
// micro-consultation by a two-character Chinese word; a member's notification badge updates
// live when a department answers their question in another browser; an admin hides a reported
// post from the moderation queue and the public sees only "hidden by a moderator".

import assert from 'node:assert/strict';
import {
  ADMIN,
  MEMBER,
  apiSignIn,
  browserTest,
  checkA11y,
  expectHidden,
  expectText,
  expectVisible,
  gotoApp,
  signIn,
  uniqueSuffix,
  useBrowser,
  waitForApp,
  waitForPath,
} from './lib.mjs';

useBrowser();

browserTest('search 养老 from the header finds the demo micro-consultation', async ({ page }) => {
  await gotoApp(page, '/');
  await page.locator('#header-search-q').fill('养老');
  await page.getByRole('button', { name: '全站搜索', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '养老');
  await waitForApp(page);
  const main = page.locator('main#main');
  const hit = main.locator('.search-hit', { hasText: '曙北社区养老服务中心建设' });
  await expectVisible(hit);
  await expectText(hit.locator('h2 mark').first(), '养老');
  await expectText(hit.locator('.badge'), '微协商');
  await checkA11y(page, '/search?q=养老');
  // Nothing for a word that appears nowhere, said in words.
  await page.locator('#search-page-q').fill('不存在的词语组合');
  await main.getByRole('button', { name: '搜索', exact: true }).click();
  await expectVisible(main.getByText('没有找到与“不存在的词语组合”相关的内容', { exact: false }));
  // Back to the hit, and on to its page.
  await page.goBack();
  await waitForApp(page);
  await hit.getByRole('link').click();
  await page.waitForURL((u) => /^\/micro-consultations\/\d+$/.test(u.pathname));
  await waitForApp(page);
  await expectText(main.locator('h1'), '曙北社区养老服务中心建设');
});

browserTest("a member's notification badge updates live when a department answers", async ({ page, context }) => {
  // Set up: a published consultation inviting member1, answered by official1's department.
  const admin = await apiSignIn(ADMIN.login, ADMIN.password);
  const accounts = await admin.get('/admin/accounts?q=member1');
  const member1 = accounts.items.find((a) => a.username === 'member1');
  const officials = await admin.get('/admin/accounts?q=official1');
  const official1 = officials.items.find((a) => a.username === 'official1');
  const title = `关于社区助餐点建设的网络议政 ${uniqueSuffix()}`;
  const now = Date.now();
  const created = await admin.post('/consultations', {
    kind: 'online',
    title,
    description: '请委员就社区助餐点建设提出问题。',
    starts_at: now - 3_600_000,
    ends_at: now + 7 * 86_400_000,
    venues: '',
    visibility: 'public',
    invited_accounts: [member1.id],
    departments: [official1.department_id],
  });
  const id = created.summary.id;
  await admin.post(`/consultations/${id}/state`, { to: 'published' });
  await admin.dispose();

  await signIn(page, MEMBER.login, MEMBER.password);
  const header = page.locator('header.site-header');
  const bell = header.locator('a.bell');
  await expectVisible(bell);
  // Start from nothing unread.
  await gotoApp(page, '/notifications');
  const markAll = page.getByRole('button', { name: '全部标为已读', exact: true });
  if (await markAll.isEnabled()) await markAll.click();
  await expectHidden(header.locator('.bell-count'));

  await gotoApp(page, `/consultations/${id}`);
  await page.locator('#post-kind').selectOption('question');
  await page.locator('#post-body').fill('助餐点的运营补贴标准是多少？');
  await page.getByRole('button', { name: '发表', exact: true }).click();
  const question = page.locator('main#main .post', { hasText: '助餐点的运营补贴标准是多少？' });
  await expectVisible(question);

  // The department answers in another browser.
  const officialContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const officialPage = await officialContext.newPage();
    await signIn(officialPage, 'official1', MEMBER.password);
    await gotoApp(officialPage, `/consultations/${id}`);
    const q = officialPage.locator('li.post.kind-question', { hasText: '助餐点的运营补贴标准是多少？' });
    await q.locator('summary', { hasText: '答复此问题' }).click();
    await q.getByLabel('答复此问题', { exact: true }).fill('每个助餐点每年补贴三万元。');
    await q.getByRole('button', { name: '提交答复', exact: true }).click();
    await expectVisible(officialPage.locator('main#main', { hasText: '每个助餐点每年补贴三万元。' }));
  } finally {
    await officialContext.close();
  }

  // The member's badge shows it without a reload; the centre lists it and marks it read.
  await expectText(header.locator('.bell-count'), '1');
  await bell.click();
  await waitForPath(page, '/notifications');
  const note = page.locator('.notification', { hasText: title });
  await expectVisible(note);
  await expectText(note.locator('.item-meta span').nth(1), '提问获答复');
  await checkA11y(page, '/notifications');
  await note.getByRole('button', { name: '标为已读', exact: true }).click();
  await expectHidden(header.locator('.bell-count'));
});

browserTest('an admin hides a reported post and the public no longer sees it', async ({ page, context }) => {
  const text = `这条心得将被隐藏 ${uniqueSuffix()}`;
  // A member of the public group writes it and another member reports it.
  const author = await apiSignIn('member3', MEMBER.password);
  const groups = await author.get('/reading-groups');
  const group = groups.items.find((g) => g.name === '《乡土中国》读书群');
  const post = await author.post(`/reading-groups/${group.id}/posts`, { kind: 'reflection', body: text });
  await author.dispose();

  const visitorContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const visitor = await visitorContext.newPage();
    await gotoApp(visitor, `/reading-groups/${group.id}`);
    await expectVisible(visitor.locator('.reading-post', { hasText: text }));

    // A signed-in member reports it through the page.
    await signIn(page, 'member2', MEMBER.password);
    await gotoApp(page, `/reading-groups/${group.id}/posts/${post.id}`);
    const card = page.locator('.reading-post', { hasText: text });
    await card.getByRole('button', { name: '举报', exact: true }).click();
    await card.locator(`#report-${post.id}`).fill('与读书无关的广告');
    await card.getByRole('button', { name: '提交举报', exact: true }).click();
    await expectVisible(page.getByText('已提交举报，管理员会尽快处理。'));

    // The admin hides it from the queue, with a reason.
    const adminContext = await context.browser().newContext({ locale: 'zh-CN' });
    try {
      const adminPage = await adminContext.newPage();
      await signIn(adminPage, ADMIN.login, ADMIN.password);
      await gotoApp(adminPage, '/admin/moderation');
      const item = adminPage.locator(`#queue-${post.id}`);
      await expectVisible(item.getByText('与读书无关的广告', { exact: false }));
      await checkA11y(adminPage, '/admin/moderation');
      await item.locator(`#hide-reason-${post.id}`).fill('违反读书群公约');
      await item.getByRole('button', { name: '隐藏', exact: true }).click();
      await expectHidden(adminPage.locator(`#queue-${post.id}`));
      await gotoApp(adminPage, '/admin/audit');
      await expectVisible(adminPage.locator('.audit-table td', { hasText: 'post.hide' }));
    } finally {
      await adminContext.close();
    }

    // The public no longer sees what it said, only that a moderator hid it.
    await gotoApp(visitor, `/reading-groups/${group.id}/posts/${post.id}`);
    await expectVisible(visitor.getByText('该发言已被管理员隐藏。'));
    assert.equal(await visitor.locator('.reading-post', { hasText: text }).count(), 0);
  } finally {
    await visitorContext.close();
  }
});

browserTest('forgot password: the request form and a bad reset link answer in words', async ({ page, allowConsoleError }) => {
  allowConsoleError(/status of 422/);
  await gotoApp(page, '/signin');
  await page.getByRole('link', { name: '忘记密码？', exact: true }).click();
  await waitForPath(page, '/forgot-password');
  await checkA11y(page, '/forgot-password');
  await page.locator('#reset-login').fill('member1');
  await page.getByRole('button', { name: '发送重设链接', exact: true }).click();
  // The same answer whether or not the account exists or has an email address.
  await expectVisible(page.getByText('如果该账号登记了电子邮箱，重设链接已发出，请查收邮件。'));

  await gotoApp(page, '/reset-password?token=not-a-real-token');
  await page.locator('#new-password').fill('新的登录密码2026abc');
  await page.locator('#confirm-password').fill('新的登录密码2026abc');
  await page.getByRole('button', { name: '保存新密码', exact: true }).click();
  await expectVisible(page.getByText('链接无效或已过期，请重新申请。'));
});
