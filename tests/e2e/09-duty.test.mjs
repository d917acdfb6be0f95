// Duty records end to end, offline part: staff record a plenary session for five members; one
// asks for leave and staff approve it; staff tick who attended; each member's record shows
// the points and grade; staff export the year as CSV.

import assert from 'node:assert/strict';
import {
  ADMIN,
  BASE_URL,
  browserTest,
  checkA11y,
  expectText,
  expectVisible,
  gotoApp,
  signIn,
  uniqueSuffix,
  useBrowser,
} from './lib.mjs';

useBrowser();

const FIVE = ['member31', 'member32', 'member33', 'member34', 'member35'];

browserTest('staff record a plenary session with leave and attendance; records and CSV follow', async ({ page, context }) => {
  const title = `市政协全体会议 ${uniqueSuffix()}`;
  const year = new Date().getFullYear();
  await signIn(page, ADMIN.login, ADMIN.password);
  await gotoApp(page, '/admin/duty/activities');
  const main = page.locator('main#main');
  await page.locator('#activity-kind').selectOption('plenary');
  await page.locator('#activity-title').fill(title);
  await page.locator('#activity-date').fill(`${year}-03-10`);
  await page.locator('#activity-half-days').fill('2');
  for (const login of FIVE) {
    await page.locator('#invitee-search').fill(login);
    await main.getByRole('button', { name: new RegExp(`（${login}）$`) }).click();
  }
  await expectText(main.locator('.chips .chip').first(), /member31/);
  assert.equal(await main.locator('.chips .chip').count(), 5);
  await checkA11y(page, '/admin/duty/activities');
  await main.getByRole('button', { name: '登记活动', exact: true }).click();
  await expectVisible(main.getByRole('link', { name: title }));

  // member35 asks for leave from the duty record page.
  const memberContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const member = await memberContext.newPage();
    await signIn(member, 'member35', 'yishi-demo-2026');
    await gotoApp(member, '/duty');
    const item = member.locator('main#main li.expected', { hasText: title });
    await item.locator('input[type="text"]').fill('赴外地参加培训');
    await item.getByRole('button', { name: '请假', exact: true }).click();
    await expectVisible(member.locator('main#main li.expected', { hasText: title }).getByText('已请假，待审批'));
    await checkA11y(member, '/duty (member)');

    // Staff approve the leave and tick the attendance (everyone without leave is ticked).
    await gotoApp(page, '/admin/duty/activities');
    await main.getByRole('link', { name: title }).click();
    await page.waitForURL((u) => /^\/admin\/duty\/activities\/\d+$/.test(u.pathname));
    const leaveRow = main.locator('.people li', { hasText: '赴外地参加培训' });
    await leaveRow.getByRole('button', { name: '准假', exact: true }).click();
    await expectVisible(main.locator('.people li', { hasText: '赴外地参加培训' }).getByText('已准假'));
    // member34 did not come.
    await main.locator('.people li', { hasText: '袁春梅' }).locator('input[type="checkbox"]').uncheck();
    await checkA11y(page, 'activity attendance');
    await main.getByRole('button', { name: '保存出席情况', exact: true }).click();
    await expectVisible(main.getByText('出席情况已保存，积分已更新。'));

    // The member on leave scores 0; an attendee 4 (two half-days at 2 points).
    await gotoApp(member, '/duty');
    await expectVisible(member.locator('.ledger tr', { hasText: title }).getByText('请假'));
    const attendee = await context.browser().newContext({ locale: 'zh-CN' });
    try {
      const p = await attendee.newPage();
      await signIn(p, 'member31', 'yishi-demo-2026');
      await gotoApp(p, '/duty');
      const row = p.locator('.ledger tr', { hasText: title });
      await expectText(row.locator('td.num'), '4');
      await expectVisible(p.locator('.record-total .badge'));
    } finally {
      await attendee.close();
    }
  } finally {
    await memberContext.close();
  }

  // The overview and its CSV export.
  await gotoApp(page, '/admin/duty');
  await page.locator('#overview-sort').selectOption('name');
  await expectVisible(main.locator('table.overview'));
  const href = await main.getByRole('link', { name: '导出表格（CSV）' }).getAttribute('href');
  const cookies = await page.context().cookies();
  const res = await fetch(BASE_URL + href, {
    headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const text = new TextDecoder().decode(bytes.slice(3));
  assert.match(text, /^姓名,界别,专委会,年度,积分,等次/);
  assert.ok(text.split('\n').length > 10);
});
