// Reading groups end to end: the public reads a public group's thread and a featured post
// (members-only groups stay invisible to it); a member joins a group, posts a note with a
// quote, replies and likes; a reading leader features the note; the member checks in a
// chapter and sees the progress.

import assert from 'node:assert/strict';
import {
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
