// A micro-consultation end to end: a visitor raises an issue through the public form, staff
// accept it, members give opinions, a meeting is recorded, the consensus has two measures,
// the department replies to both, staff confirm, and the public reads it as resolved with its
// timeline and without the raiser's contact.

import assert from 'node:assert/strict';
import {
  ADMIN,
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

browserTest('a resident raises an issue and sees it resolved', async ({ page, context, allowConsoleError }) => {
  // The first submission forgets the consent on purpose.
  allowConsoleError(/status of 422 .*\/api\/v1\/micro-consultations\/public\)$/);
  const title = `名山镇排水渠漫溢 ${uniqueSuffix()}`;
  const phone = '13900002222';
  await gotoApp(page, '/micro-consultations');
  await page.getByRole('link', { name: '我要反映', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/micro-consultations/raise');
  await waitForApp(page);
  await page.locator('#issue-title').fill(title);
  await page.locator('#issue-description').fill('村里排水渠一下雨就漫溢，淹到院子。');
  await page.locator('#issue-location').fill('萝北县名山镇');
  await page.locator('#issue-name').fill('王大爷');
  await page.locator('#issue-contact').fill(phone);
  await page.locator('#issue-photo').setInputFiles({ name: '水渠.png', mimeType: 'image/png', buffer: PNG });
  await expectVisible(page.getByText('个人信息告知', { exact: false }));
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await expectText(page.locator('#issue-consent-error'), '必填');
  await page.locator('#issue-consent').check();
  await checkA11y(page, '/micro-consultations/raise (public form)');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await expectVisible(page.getByText('已收到您反映的问题'));
  // Not public before acceptance.
  await gotoApp(page, '/micro-consultations');
  assert.equal(await page.getByRole('link', { name: title }).count(), 0);

  const staffContext = await context.browser().newContext({ locale: 'zh-CN' });
  const memberContext = await context.browser().newContext({ locale: 'zh-CN' });
  const officialContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    // Staff find it, see the contact, accept it with a member taking it up.
    const staff = await staffContext.newPage();
    await signIn(staff, ADMIN.login, ADMIN.password);
    await gotoApp(staff, '/micro-consultations');
    await staff.getByRole('link', { name: title }).click();
    await staff.waitForURL((u) => /^\/micro-consultations\/\d+$/.test(u.pathname));
    await waitForApp(staff);
    const path = new URL(staff.url()).pathname;
    const sm = staff.locator('main#main');
    await expectVisible(sm.getByText(phone, { exact: false }));
    await expectVisible(sm.locator('.photo-strip img[alt="水渠.png"]'));
    await staff.locator('#taker-search').fill('李淑华');
    await staff.getByRole('button', { name: '选择 李淑华（member2）', exact: true }).click();
    await staff.getByRole('checkbox', { name: '市住房和城乡建设局', exact: true }).check();
    await checkA11y(staff, `${path} (staff, accepting)`);
    await sm.getByRole('button', { name: '受理', exact: true }).click();
    await expectText(sm.locator('.kicker .badge'), '已受理');

    // The member who took it up opens it for opinions and gives one.
    const member = await memberContext.newPage();
    await signIn(member, 'member2', 'yishi-demo-2026');
    await gotoApp(member, path);
    const mm = member.locator('main#main');
    await mm.getByRole('button', { name: '开始征集意见', exact: true }).click();
    await expectText(mm.locator('.kicker .badge'), '征集意见');
    // The visitor follows the issue page; opinions arrive without reloading.
    await gotoApp(page, path);
    await mm.locator('#opinion-body').fill('建议疏通排水渠并加高沟沿。');
    await mm.getByRole('button', { name: '发表', exact: true }).click();
    await expectVisible(mm.locator('.opinions .post', { hasText: '建议疏通排水渠并加高沟沿。' }));
    await expectVisible(page.locator('main#main .opinions .post', { hasText: '建议疏通排水渠并加高沟沿。' }));
    await checkA11y(member, `${path} (member taking it up)`);

    // The meeting and its record.
    await member.locator('#meeting-place').fill('名山镇委员工作站');
    await member.locator('#meeting-participants').fill('委员2名、住建局、村民代表3名');
    await mm.getByRole('button', { name: '保存会议信息', exact: true }).click();
    await expectText(mm.locator('.kicker .badge'), '协商会议');
    await member.locator('#meeting-record').fill('各方同意先疏通、再加固。');
    await mm.getByRole('button', { name: '保存会议信息', exact: true }).click();
    await expectVisible(mm.locator('.meeting', { hasText: '各方同意先疏通、再加固。' }));

    // Staff publish the consensus with two measures.
    await gotoApp(staff, path);
    await staff.locator('#consensus-text').fill('先疏通排水渠，再加固沟沿。');
    await staff.locator('#measure-1-text').fill('疏通排水渠');
    await staff.locator('#measure-1-dept').selectOption({ label: '市住房和城乡建设局' });
    await sm.getByRole('button', { name: '再加一条措施', exact: true }).click();
    await staff.locator('#measure-2-text').fill('加固沟沿');
    await staff.locator('#measure-2-dept').selectOption({ label: '市住房和城乡建设局' });
    await sm.getByRole('button', { name: '发布协商意见', exact: true }).click();
    await expectText(sm.locator('.kicker .badge'), '已形成协商意见');
    await expectVisible(sm.locator('ol.measures li', { hasText: '措施2' }));
    await sm.getByRole('button', { name: '推动落实', exact: true }).click();
    await expectText(sm.locator('.kicker .badge'), '推动落实');

    // The department replies to both measures from its inbox.
    const official = await officialContext.newPage();
    await signIn(official, 'official1', 'yishi-demo-2026');
    for (const n of [1, 2]) {
      await gotoApp(official, '/follow-ups');
      await official.getByRole('link', { name: `${title}：措施${n}` }).click();
      await official.waitForURL((u) => /^\/follow-ups\/\d+$/.test(u.pathname));
      await waitForApp(official);
      await official.locator('#reply-text').fill(`措施${n}已完成。`);
      await official.getByRole('button', { name: '提交答复', exact: true }).click();
      await expectText(official.locator('main#main .kicker .badge').first(), '已答复');
      // A resident has no account: staff record the rating after a follow-up call, then close.
      const itemPath = new URL(official.url()).pathname;
      await gotoApp(staff, itemPath);
      await staff.getByRole('radio', { name: '满意', exact: true }).check();
      await sm.getByRole('button', { name: '提交评价', exact: true }).click();
      await expectText(sm.locator('.kicker .badge').first(), '已评价');
      await sm.getByRole('button', { name: '办结', exact: true }).click();
      await expectText(sm.locator('.kicker .badge').first(), '已办结');
    }

    // Staff confirm it resolved.
    await gotoApp(staff, path);
    await sm.getByRole('button', { name: '确认已解决', exact: true }).click();
    await expectText(sm.locator('.kicker .badge'), '已解决');

    // The public reads it as resolved, with its timeline and without the contact.
    await gotoApp(page, path);
    const pm = page.locator('main#main');
    await expectText(pm.locator('.kicker .badge'), '已解决');
    await expectVisible(pm.locator('.consensus', { hasText: '先疏通排水渠，再加固沟沿。' }));
    await expectVisible(pm.locator('ol.timeline li', { hasText: '推动落实' }));
    await expectVisible(pm.locator('.photo-strip img[alt="水渠.png"]'));
    assert.equal(await pm.getByText(phone, { exact: false }).count(), 0);
    assert.equal(await pm.getByText('王大爷', { exact: false }).count(), 0);
    await checkA11y(page, `${path} (public, resolved)`);
  } finally {
    await staffContext.close();
    await memberContext.close();
    await officialContext.close();
  }
});
