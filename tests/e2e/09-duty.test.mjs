// Duty records end to end: staff record a plenary session for five members; one asks for
// leave and staff approve it; staff tick who attended; a member speaks in a consultation and
// posts a reading reflection; the records show the points and grade; staff export the year
// as CSV.

import assert from 'node:assert/strict';
import {
  ADMIN,
  apiSignIn,
  BASE_URL,
  browserTest,
  checkA11y,
  expectText,
  expectVisible,
  gotoApp,
  signIn,
  uniqueSuffix,
  useBrowser,
  waitForApp,
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

    // Approved leave scores nothing (0 by the default rule) and shows as approved; an
    // attendee scores 4 (two half-days at 2 points); the absent member loses a point.
    await gotoApp(member, '/duty');
    const mine = member.locator('main#main li.expected', { hasText: title });
    await expectVisible(mine.getByText('已准假'));
    assert.equal(await member.locator('.ledger tr', { hasText: title }).count(), 0);
    const attendee = await context.browser().newContext({ locale: 'zh-CN' });
    try {
      const p = await attendee.newPage();
      await signIn(p, 'member31', 'yishi-demo-2026');
      await gotoApp(p, '/duty');
      const row = p.locator('.ledger tr', { hasText: title });
      await expectText(row.locator('td.num'), '4');
      await expectVisible(p.locator('.record-total .badge'));
      await expectVisible(p.locator('main#main li.expected', { hasText: title }).getByText('已出席'));
      await checkA11y(p, '/duty (attendee)');
    } finally {
      await attendee.close();
    }
  } finally {
    await memberContext.close();
  }

  // member31 speaks in a consultation (set up through the API) and posts a reflection in the
  // browser; the record shows both, linked to their sources.
  const admin = await apiSignIn(ADMIN.login, ADMIN.password);
  const member31 = (await admin.get('/admin/accounts?q=member31')).items.find((a) => a.username === 'member31');
  const c = await admin.post('/consultations', {
    kind: 'remote', title: `履职积分测试协商 ${uniqueSuffix()}`, visibility: 'public',
    invited_accounts: [member31.id],
  });
  const cid = c.summary.id;
  await admin.post(`/consultations/${cid}/state`, { to: 'published' });
  const speaker = await apiSignIn('member31', 'yishi-demo-2026');
  await speaker.post(`/consultations/${cid}/speeches`, { mode: 'venue', summary: '关于老旧小区改造' });
  const floor = await admin.get(`/consultations/${cid}/floor`);
  await admin.post(`/speeches/${floor.pending[0].id}/decision`, { accept: true });
  await admin.post(`/consultations/${cid}/state`, { to: 'live' });
  await admin.post(`/consultations/${cid}/floor/next`, {});
  await admin.post(`/consultations/${cid}/floor/end`, {});
  await speaker.dispose();
  await admin.dispose();
  const readerContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    const p = await readerContext.newPage();
    await signIn(p, 'member31', 'yishi-demo-2026');
    await gotoApp(p, '/reading-groups');
    await p.getByRole('link', { name: '《乡土中国》读书群' }).click();
    await p.waitForURL((u) => /^\/reading-groups\/\d+$/.test(u.pathname));
    await waitForApp(p);
    const pm = p.locator('main#main');
    const join = pm.getByRole('button', { name: '加入读书群', exact: true });
    if (await join.count()) await join.click();
    const text = `乡土社会的信任 ${uniqueSuffix()}`;
    await p.locator('#post-body').fill(text);
    await pm.getByRole('button', { name: '发表', exact: true }).click();
    await expectVisible(pm.locator('.reading-post', { hasText: text }));
    await gotoApp(p, '/duty');
    await expectVisible(pm.locator('.ledger tr', { hasText: '发言' }).locator('td.num', { hasText: '2' }));
    await expectVisible(pm.locator('.ledger tr', { hasText: '参加协商' }));
    await expectVisible(pm.locator('.ledger tr', { hasText: '读书心得' }).getByRole('link', { name: '《乡土中国》读书群' }));
    await expectVisible(pm.locator('.record-total .badge'));
  } finally {
    await readerContext.close();
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
