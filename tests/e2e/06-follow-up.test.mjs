// The follow-up loop end to end: a member submits a micro-suggestion, staff accept and assign
// it, the department's official replies from the inbox, the member rates it, and the timeline
// shows every step. Staff see the overview and keep the calendar.

import assert from 'node:assert/strict';
import {
  ADMIN,
  MEMBER,
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

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

browserTest('a micro-suggestion is assigned, answered, rated and tracked', async ({ page, context, allowConsoleError }) => {
  // The empty form is refused on purpose below.
  allowConsoleError(/status of 422 .*\/api\/v1\/suggestions\)$/);
  const title = `解放路路灯不亮 ${uniqueSuffix()}`;
  // The member writes it.
  await signIn(page, MEMBER.login, MEMBER.password);
  await gotoApp(page, '/suggestions');
  await page.getByRole('link', { name: '提交微建议', exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === '/suggestions/new');
  await waitForApp(page);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await expectText(page.locator('#suggestion-title-error'), '必填');
  await page.locator('#suggestion-title').fill(title);
  await page.locator('#suggestion-body').fill('向阳区解放路一段路灯已坏两周，夜间出行不便，建议尽快修复。');
  await page.locator('#suggestion-location').fill('向阳区解放路');
  await checkA11y(page, '/suggestions/new');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.waitForURL((u) => /^\/suggestions\/\d+$/.test(u.pathname));
  await waitForApp(page);
  const suggestionPath = new URL(page.url()).pathname;
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), title);
  await expectText(main.locator('.kicker .badge'), '待审核');
  // A photo of the problem (its type is judged by content on the server).
  await page.locator('#suggestion-photo').setInputFiles({ name: '路灯.png', mimeType: 'image/png', buffer: PNG });
  await expectVisible(main.locator('.photo-strip img[alt="路灯.png"]'));

  const staffContext = await context.browser().newContext({ locale: 'zh-CN' });
  const officialContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    // Staff find it in the review queue, accept it and assign it.
    const staff = await staffContext.newPage();
    await signIn(staff, ADMIN.login, ADMIN.password);
    await gotoApp(staff, '/suggestions?view=review');
    await staff.getByRole('link', { name: title }).click();
    await staff.waitForURL((u) => u.pathname === suggestionPath);
    await waitForApp(staff);
    await staff.locator('#review-lead').selectOption({ label: '市住房和城乡建设局' });
    await checkA11y(staff, `${suggestionPath} (review)`);
    await staff.getByRole('button', { name: '受理并交办', exact: true }).click();
    await expectText(staff.locator('main#main .kicker .badge'), '已受理');
    await expectVisible(staff.locator('main#main .badge.fu-assigned', { hasText: '已交办' }));

    // The department's official finds it in the inbox, takes it and replies.
    const official = await officialContext.newPage();
    await signIn(official, 'official1', 'yishi-demo-2026');
    await gotoApp(official, '/follow-ups');
    await expectText(official.locator('main#main h1'), '本单位办理事项');
    await checkA11y(official, '/follow-ups (department inbox)');
    await official.getByRole('link', { name: title }).click();
    await official.waitForURL((u) => /^\/follow-ups\/\d+$/.test(u.pathname));
    await waitForApp(official);
    const itemPath = new URL(official.url()).pathname;
    const item = official.locator('main#main');
    await expectVisible(item.getByText('可退回期限'));
    await item.getByRole('button', { name: '签收办理', exact: true }).click();
    await expectText(item.locator('.kicker .badge').first(), '办理中');
    // The member's photo is on the item; the department adds evidence of its work.
    await expectVisible(item.locator('.photo-strip img[alt="路灯.png"]'));
    await official.locator('#evidence-photo').setInputFiles({ name: '修复后.png', mimeType: 'image/png', buffer: PNG });
    await expectVisible(item.locator('.photo-strip img[alt="修复后.png"]'));
    await item.locator('#reply-class').selectOption('solved');
    await item.locator('#reply-text').fill('已更换灯具，解放路路灯恢复照明。');
    await checkA11y(official, `${itemPath} (official)`);
    await item.getByRole('button', { name: '提交答复', exact: true }).click();
    await expectText(item.locator('.kicker .badge').first(), '已答复');
    await expectVisible(item.locator('.reply', { hasText: '已更换灯具，解放路路灯恢复照明。' }));

    // The member sees the reply on the suggestion and rates it from the item page.
    await gotoApp(page, suggestionPath);
    await expectVisible(main.locator('.reply', { hasText: '已更换灯具，解放路路灯恢复照明。' }));
    await main.getByRole('link', { name: '查看办理过程', exact: true }).click();
    await page.waitForURL((u) => u.pathname === itemPath);
    await waitForApp(page);
    await main.getByRole('radio', { name: '满意', exact: true }).check();
    await checkA11y(page, `${itemPath} (rating)`);
    await main.getByRole('button', { name: '提交评价', exact: true }).click();
    await expectText(main.locator('.kicker .badge').first(), '已评价');

    // The timeline shows every step with who took it.
    const steps = main.locator('ol.timeline > li');
    await expectText(steps.nth(0).locator('strong'), '交办');
    await expectText(steps.nth(1), /签收办理[\s\S]*刘振华（市住房和城乡建设局）/);
    await expectText(steps.nth(2), /答复[\s\S]*已解决[\s\S]*已更换灯具/);
    await expectText(steps.nth(3), /评价[\s\S]*张立新[\s\S]*满意/);
    assert.equal(await steps.count(), 4);

    // My activity lists it with its state.
    await gotoApp(page, '/me');
    await expectVisible(page.locator('.my-suggestions li', { hasText: title }).locator('.badge.fu-rated'));

    // Staff close it from the overview, which counts it for the department.
    await gotoApp(staff, '/follow-ups');
    await expectText(staff.locator('main#main h1'), '办理跟踪总览');
    const line = staff.locator('table.stats tbody tr', { hasText: '市住房和城乡建设局' });
    await expectVisible(line);
    await checkA11y(staff, '/follow-ups (overview)');
    const exportHref = await staff.getByRole('link', { name: '导出表格（CSV）' }).getAttribute('href');
    const csv = await staff.request.get(new URL(exportHref, staff.url()).toString());
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), new RegExp(title));
    await staff.getByRole('link', { name: title }).click();
    await staff.waitForURL((u) => u.pathname === itemPath);
    await waitForApp(staff);
    await staff.getByRole('button', { name: '办结', exact: true }).click();
    await expectText(staff.locator('main#main .kicker .badge').first(), '已办结');

    // Staff keep the calendar that working days are counted by.
    await gotoApp(staff, '/admin/calendar');
    await staff.locator('#calendar-date').fill('2026-12-31');
    await staff.locator('#calendar-kind').selectOption('holiday');
    await staff.locator('#calendar-name').fill('元旦前调整');
    await staff.getByRole('button', { name: '保存', exact: true }).click();
    await expectVisible(staff.locator('table.calendar tr', { hasText: '2026-12-31' }));
    await checkA11y(staff, '/admin/calendar');
    await staff.getByRole('button', { name: '删除 2026-12-31', exact: true }).click();
    await expectVisible(staff.getByText('这一年还没有登记节假日或调休。'));
  } finally {
    await staffContext.close();
    await officialContext.close();
  }
});
