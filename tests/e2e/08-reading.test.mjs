// Reading groups end to end: the public reads a public group's thread and a featured post
// (members-only groups stay invisible to it); a member joins a group, posts a note with a
// quote, replies and likes; a reading leader features the note; the member checks in a
// chapter and sees the progress.

import assert from 'node:assert/strict';
import {
  ADMIN,
  apiSignIn,
  BASE_URL,
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
} from './lib.mjs';

useBrowser();

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const PUBLIC_GROUP = '《乡土中国》读书群';
const MEMBERS_GROUP = '“百年湖湘潮”党史读书群';

browserTest('the public reads a public group and its featured post, never a members-only group', async ({ page, allowConsoleError }) => {
  allowConsoleError(/status of 404/);
  await gotoApp(page, '/reading-groups');
  await expectVisible(page.getByRole('link', { name: PUBLIC_GROUP }));
  assert.equal(await page.getByRole('link', { name: MEMBERS_GROUP }).count(), 0);

  await page.getByRole('link', { name: PUBLIC_GROUP }).click();
  await page.waitForURL((u) => /^\/reading-groups\/\d+$/.test(u.pathname));
  await waitForApp(page);
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), PUBLIC_GROUP);
  await expectVisible(main.locator('.reading-post', { hasText: '第一周导读：乡土本色' }));
  await expectVisible(main.locator('.quote', { hasText: '从基层上看去，中国社会是乡土性的。' }));
  // Replies nest under their post.
  await expectVisible(main.locator('.reading-post.depth-2', { hasText: '我下周整理成一篇短文' }));
  await checkA11y(page, 'public reading group');
  assert.match(await page.title(), /《乡土中国》读书群/);

  // Featured only, then the featured reflection's own page.
  await page.locator('#thread-filter').selectOption({ label: '只看精华' });
  // The filtered page replaces the whole thread: a post that is not featured goes away.
  await expectHidden(main.locator('.reading-post', { hasText: '文字下乡' }));
  const featured = main.locator('.reading-post', { hasText: '差序格局' });
  await expectVisible(featured);
  await featured.getByRole('link', { name: '链接' }).click();
  await page.waitForURL((u) => /^\/reading-groups\/\d+\/posts\/\d+$/.test(u.pathname));
  await waitForApp(page);
  await expectVisible(main.locator('.badge.featured'));
  await expectVisible(main.locator('.reading-post', { hasText: '差序格局' }));
  const shared = page.url();
  // The shareable address works on a fresh load, with a proper title.
  await gotoApp(page, new URL(shared).pathname);
  await expectVisible(main.locator('.reading-post', { hasText: '差序格局' }));
  assert.match(await page.title(), /《乡土中国》读书群/);

  // A members-only group's address answers "not found" to the public, in the API and the page.
  const member = await apiSignIn('member3', 'yishi-demo-2026');
  const list = await member.get('/reading-groups');
  await member.dispose();
  const hidden = list.items.find((g) => g.name === MEMBERS_GROUP);
  assert.ok(hidden, 'members see the members-only group');
  const anonymous = await fetch(`${BASE_URL}/api/v1/reading-groups/${hidden.id}`);
  assert.equal(anonymous.status, 404);
  const publicList = await (await fetch(`${BASE_URL}/api/v1/reading-groups`)).json();
  assert.ok(!publicList.items.some((g) => g.id === hidden.id));
  await gotoApp(page, `/reading-groups/${hidden.id}`);
  await expectVisible(main.getByText('未找到您要的内容'));
  assert.equal(await main.getByText(MEMBERS_GROUP).count(), 0);
});

browserTest('a member joins, posts a note with a quote, replies and likes; a leader features it; check-in shows progress', async ({ page, context }) => {
  const text = `读到这里想起社区调研 ${uniqueSuffix()}`;
  await signIn(page, 'member20', 'yishi-demo-2026');
  await gotoApp(page, '/reading-groups');
  await page.getByRole('link', { name: PUBLIC_GROUP }).click();
  await page.waitForURL((u) => /^\/reading-groups\/\d+$/.test(u.pathname));
  await waitForApp(page);
  const path = new URL(page.url()).pathname;
  const main = page.locator('main#main');
  await main.getByRole('button', { name: '加入读书群', exact: true }).click();
  await expectVisible(main.getByRole('button', { name: '退出读书群', exact: true }));

  // A note quoting a passage of a chapter.
  await page.locator('#post-kind').selectOption('note');
  await page.locator('#post-chapter').selectOption({ label: '《乡土中国》乡土本色' });
  await page.locator('#post-quote').fill('乡下人离不了泥土，因为在乡下住，种地是最普通的谋生办法。');
  await page.locator('#post-page').fill('7');
  await page.locator('#post-body').fill(text);
  await checkA11y(page, `${path} (member writing)`);
  await main.getByRole('button', { name: '发表', exact: true }).click();
  const mine = main.locator('.reading-post', { hasText: text });
  await expectVisible(mine);
  await expectVisible(mine.locator('.quote', { hasText: '种地是最普通的谋生办法' }));
  await expectVisible(mine.locator('.quote footer', { hasText: '《乡土本色》，第 7 页' }));

  // A reply to another member's reflection, and a like.
  const other = main.locator('.reading-post.depth-0', { hasText: '数字鸿沟' });
  await other.getByRole('button', { name: '回复', exact: true }).click();
  await other.locator('textarea').fill('同感，适老化改造应当写进提案。');
  await other.getByRole('button', { name: '发送回复', exact: true }).click();
  await expectVisible(main.locator('.reading-post.depth-1', { hasText: '同感，适老化改造应当写进提案。' }));
  const like = main.locator('.reading-post.depth-0', { hasText: '数字鸿沟' }).locator('button.like');
  const before = Number(await like.locator('.like-count').innerText());
  await like.click();
  await expectText(like.locator('.like-count'), String(before + 1));
  assert.equal(await like.getAttribute('aria-pressed'), 'true');

  // The reading leader features the note.
  const leaderContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const leader = await leaderContext.newPage();
    await signIn(leader, 'member2', 'yishi-demo-2026');
    await gotoApp(leader, path);
    await leader.locator('main#main').getByRole('button', { name: '跳到最新', exact: true }).click();
    const note = leader.locator('main#main .reading-post', { hasText: text });
    await note.getByRole('button', { name: '设为精华', exact: true }).click();
    await expectVisible(leader.locator('main#main .reading-post', { hasText: text }).locator('.badge.featured'));
  } finally {
    await leaderContext.close();
  }
  await gotoApp(page, path);
  await page.locator('#thread-filter').selectOption({ label: '只看精华' });
  await expectVisible(main.locator('.reading-post', { hasText: text }).locator('.badge.featured'));

  // Check in the first chapter and see the progress.
  await expectText(main.locator('.my-progress'), '我的进度：已读 0 / 14 章');
  await main.getByRole('checkbox', { name: '打卡 乡土本色' }).check();
  await expectText(main.locator('.my-progress'), '我的进度：已读 1 / 14 章');
  await expectVisible(main.locator('.people li', { hasText: '梁雪' }).getByText('已读 1 / 14 章'));
  await checkA11y(page, `${path} (member after check-in)`);
});

browserTest('staff add a period and a book with its cover, then create a group that opens for members', async ({ page }) => {
  const suffix = uniqueSuffix();
  const bookTitle = `共同富裕读本 ${suffix}`;
  const groupName = `共同富裕读书群 ${suffix}`;
  await signIn(page, ADMIN.login, ADMIN.password);
  await gotoApp(page, '/admin/reading');
  const main = page.locator('main#main');
  await page.locator('#period-name').fill(`2027年委员读书月 ${suffix}`);
  await page.locator('#period-starts').fill('2027-04-01');
  await page.locator('#period-ends').fill('2027-04-30');
  await main.getByRole('button', { name: '添加读书期', exact: true }).click();
  await expectVisible(main.getByText(`2027年委员读书月 ${suffix}`));
  await page.locator('#book-title').fill(bookTitle);
  await page.locator('#book-author').fill('编写组');
  await page.locator('#book-publisher').fill('人民出版社');
  await page.locator('#book-year').fill('2022');
  await page.locator('#book-chapters').fill('总论\n城乡融合\n公共服务');
  await main.getByRole('button', { name: '添加书目', exact: true }).click();
  const book = main.locator('.book', { hasText: bookTitle });
  await expectVisible(book.getByText('共 3 章'));
  await book.locator('input[type="file"]').setInputFiles({ name: '封面.png', mimeType: 'image/png', buffer: PNG });
  await expectVisible(book.locator('img.cover'));
  await checkA11y(page, '/admin/reading');

  await gotoApp(page, '/reading-groups/new');
  await page.locator('#group-name').fill(groupName);
  await page.locator('#group-theme').fill('扎实推动共同富裕');
  await page.locator('#group-period').selectOption({ label: `2027年委员读书月 ${suffix}（2027-04-01 至 2027-04-30）` });
  await page.locator('#owner-search').fill('黄文静');
  await main.getByRole('button', { name: '选择 黄文静（member11）', exact: true }).click();
  await page.locator('#leader-search').fill('马俊峰');
  await main.getByRole('button', { name: '选择 马俊峰（member12）', exact: true }).click();
  await main.locator('label.checkbox', { hasText: bookTitle }).locator('input').check();
  // Each chapter gets a week of its own; the third is moved to week 4.
  await page.locator('main#main .plan-row', { hasText: '公共服务' }).locator('input').fill('4');
  await checkA11y(page, '/reading-groups/new');
  await main.getByRole('button', { name: '保存读书群', exact: true }).click();
  await page.waitForURL((u) => /^\/reading-groups\/\d+$/.test(u.pathname));
  await waitForApp(page);
  await expectText(main.locator('h1'), groupName);
  await expectText(main.locator('.kicker .badge'), '即将开始');
  await expectVisible(main.locator('table.plan tr', { hasText: '公共服务' }).getByText('第 4 周'));
  await expectVisible(main.locator('.book img.cover'));
  await main.getByRole('button', { name: '开放读书群', exact: true }).click();
  await expectText(main.locator('.kicker .badge'), '进行中');
  await expectVisible(main.locator('.people li', { hasText: '马俊峰' }).getByText('领读人'));
});
