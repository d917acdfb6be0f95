// A consultation from draft to live room: staff create and publish it, the chair starts it,
// an invited member asks, a department answers, and a public visitor follows it live,
// read-only, in another browser.

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

browserTest('a consultation goes live and its room updates in other browsers', async ({ page, context }) => {
  const title = `关于老旧小区加装电梯的远程协商 ${uniqueSuffix()}`;
  await signIn(page, ADMIN.login, ADMIN.password);
  await gotoApp(page, '/consultations');
  await page.getByRole('link', { name: '新建协商', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/consultations/new');
  await waitForApp(page);
  await page.locator('#title').fill(title);
  await page.locator('#description').fill('**背景**：老旧小区居民出行难。');
  // The chair and individual invitees are found by searching (a committee has hundreds).
  await page.locator('#chair-search').fill('李淑华');
  await page.getByRole('button', { name: '选择 李淑华（member2）', exact: true }).click();
  await expectText(page.locator('.picker .picked').first(), /李淑华（member2）/);
  await page.locator('#invite-search').fill('member30');
  await page.getByRole('button', { name: '选择 潘晓玲（member30）', exact: true }).click();
  await expectVisible(page.locator('.chips .chip', { hasText: '潘晓玲（member30）' }));
  await page.locator('#venues').fill('主会场：市政协三楼会议室；分会场：向阳区');
  // Invite member1's sector (经济界) and official1's department.
  await page.getByRole('checkbox', { name: '经济界', exact: true }).check();
  await page.getByRole('checkbox', { name: '市住房和城乡建设局', exact: true }).check();
  await checkA11y(page, '/consultations/new');
  await page.getByRole('button', { name: '保存为草稿', exact: true }).click();
  await page.waitForURL((u) => /^\/consultations\/\d+$/.test(u.pathname));
  await waitForApp(page);
  const path = new URL(page.url()).pathname;
  const main = page.locator('main#main');
  await expectText(main.locator('h1'), title);
  await expectText(main.locator('.badge.state-draft'), '草稿');
  await expectVisible(main.locator('.prose strong', { hasText: '背景' }));
  await checkA11y(page, `${path} (draft)`);

  // Staff edit it before it starts.
  await main.getByRole('link', { name: '编辑协商', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `${path}/edit`);
  await waitForApp(page);
  assert.equal(await page.locator('#title').inputValue(), title);
  assert.equal(await page.getByRole('checkbox', { name: '经济界', exact: true }).isChecked(), true);
  await expectVisible(page.locator('.chips .chip', { hasText: '潘晓玲（member30）' }));
  await expectText(page.locator('.picker .picked').first(), /李淑华/);
  await page.locator('#venues').fill('主会场：市政协三楼会议室；分会场：向阳区、萝北县');
  await checkA11y(page, `${path}/edit`);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL((u) => u.pathname === path);
  await waitForApp(page);
  await expectVisible(main.getByText('主会场：市政协三楼会议室；分会场：向阳区、萝北县'));

  // Staff attach a background material (its type is checked by content on the server).
  await page.locator('#material-file').setInputFiles({
    name: '加装电梯协商材料.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  await expectVisible(main.getByRole('link', { name: '加装电梯协商材料.pdf' }));

  await main.getByRole('button', { name: '发布', exact: true }).click();
  await expectText(main.locator('.badge.state-published'), '已发布');

  const visitorContext = await context.browser().newContext({ locale: 'zh-CN' });
  const memberContext = await context.browser().newContext({ locale: 'zh-CN' });
  const officialContext = await context.browser().newContext({ locale: 'zh-CN' });
  try {
    // An invited member applies to speak; the chair's page shows the application live.
    const member = await memberContext.newPage();
    await signIn(member, MEMBER.login, MEMBER.password);
    await gotoApp(member, path);
    await member.locator('summary', { hasText: '申请发言' }).click();
    await member.locator('#speech-mode').selectOption('venue');
    await member.locator('#speech-summary').fill('关于加装电梯补贴标准的建议');
    await checkA11y(member, `${path} (applying to speak)`);
    await member.getByRole('button', { name: '提交发言申请', exact: true }).click();
    await expectVisible(member.getByText('发言申请已提交，请等待主持人安排。'));
    // The chair grants six minutes instead of the default eight.
    await main.getByLabel('发言时长（分钟）').fill('6');
    await main.getByRole('button', { name: `同意发言 ${MEMBER.name}`, exact: true }).click();
    await expectText(main.locator('.queue .queue-item .speaker-name'), MEMBER.name);
    await expectText(member.locator('main#main .queue .queue-item .speaker-name'), MEMBER.name);

    await main.getByRole('button', { name: '开始会议', exact: true }).click();
    await expectText(main.locator('.badge.state-live'), '进行中');
    await expectVisible(main.locator('.history li', { hasText: '已发布 → 进行中' }));

    // A public visitor follows the room in another browser.
    const visitor = await visitorContext.newPage();
    const asked = [];
    const streams = [];
    visitor.on('request', (r) => {
      const url = new URL(r.url());
      asked.push(url.pathname);
      if (url.pathname === '/api/v1/events') streams.push(url);
    });
    await gotoApp(visitor, path);
    const room = visitor.locator('main#main');
    await expectText(room.locator('h1'), title);
    // The page came with the room's first page (readable before the app starts) and the
    // app's first answers: the app took those instead of asking, and removed the copy.
    const served = await (await visitor.request.get(new URL(path, page.url()).toString())).text();
    assert.ok(served.includes('<main id="first-page">') && served.includes(title), 'first page in the HTML');
    // A visitor follows the room in the reader (the app's small build for public threads).
    assert.ok(served.includes("from '/reader/consultations/"), 'the consultation reader is sent');
    assert.equal(await visitor.locator('#first-page, #initial-data').count(), 0);
    assert.ok(!asked.includes(`/api/v1${path}`), `the detail came with the page: ${asked}`);
    assert.ok(!asked.includes('/api/v1/site'), `the site came with the page: ${asked}`);
    // The room's stream resumes where that data was read, so nothing in between is missed.
    assert.ok(Number(streams[0]?.searchParams.get('after')) > 0, `stream resumes: ${streams[0]}`);
    await expectText(room.locator('.connection'), '已连接，内容实时更新');
    await expectText(room.locator('.current-speaker.none'), '目前没有人发言');
    await expectVisible(room.getByText('您可以旁听本次协商'));
    const material = room.getByRole('link', { name: '加装电梯协商材料.pdf' });
    await expectVisible(material);
    const download = await visitor.request.get(new URL(await material.getAttribute('href'), page.url()).toString());
    assert.equal(download.status(), 200);
    assert.equal(download.headers()['content-type'], 'application/pdf');
    assert.equal(await room.locator('#post-body').count(), 0, 'visitors cannot post');
    await checkA11y(visitor, `${path} (visitor)`);

    // The chair moves to members' speeches and gives the floor: every open room follows.
    await main.locator('#segment-choice').selectOption('speeches');
    await main.getByRole('button', { name: '切换到此环节', exact: true }).click();
    await expectText(room.locator('.floor-segment strong'), '委员发言');
    await main.getByRole('button', { name: '请下一位发言', exact: true }).click();
    await expectText(room.locator('.current-speaker .speaker-name'), MEMBER.name);
    await expectText(member.locator('main#main .current-speaker .speaker-name'), MEMBER.name);
    await expectText(room.locator('.countdown .timer'), /^0?[56]:\d\d$/);
    await checkA11y(visitor, `${path} (someone speaking)`);

    // An invited member asks a question; the visitor sees it without reloading.
    await member.locator('#post-kind').selectOption('question');
    await member.locator('#post-body').fill('加装电梯的补贴标准是多少？');
    await checkA11y(member, `${path} (invited member)`);
    await member.getByRole('button', { name: '发表', exact: true }).click();
    const question = room.locator('li.post.kind-question', { hasText: '加装电梯的补贴标准是多少？' });
    await expectVisible(question);
    await expectText(question.locator('.post-author').first(), MEMBER.name);

    // The participating department answers under the question.
    const official = await officialContext.newPage();
    await signIn(official, 'official1', 'yishi-demo-2026');
    await gotoApp(official, path);
    const officialQuestion = official.locator('li.post.kind-question', { hasText: '加装电梯的补贴标准是多少？' });
    await officialQuestion.locator('summary', { hasText: '答复此问题' }).click();
    await officialQuestion.locator('textarea').fill('每台电梯补贴15万元。');
    await officialQuestion.getByRole('button', { name: '提交答复', exact: true }).click();
    await expectVisible(question.locator('.children li.post.kind-answer', { hasText: '每台电梯补贴15万元。' }));
    await expectVisible(member.locator('.children li.post.kind-answer', { hasText: '每台电梯补贴15万元。' }));

    // Likes: one per account, counted live in every room; visitors cannot like.
    assert.equal(await question.locator(':scope > button.like').isDisabled(), true);
    const memberQuestion = member.locator('li.post.kind-question', { hasText: '加装电梯的补贴标准是多少？' });
    await memberQuestion.locator(':scope > button.like').click();
    await expectText(memberQuestion.locator(':scope > button.like .like-count'), '1');
    await expectText(question.locator(':scope > button.like .like-count'), '1');

    // The chair ends the speech: it goes to the record.
    await main.getByRole('button', { name: '结束当前发言', exact: true }).click();
    await expectText(room.locator('.current-speaker.none'), '目前没有人发言');
    await expectVisible(room.locator('.speech-record li', { hasText: MEMBER.name }));

    // The chair's step reaches every open room as a state change.
    await main.getByRole('button', { name: '结束协商', exact: true }).click();
    await expectText(room.locator('.badge.state-concluded'), '已结束');
    await expectText(member.locator('main#main .badge.state-concluded'), '已结束');
    assert.equal(await member.locator('#post-body').count(), 0, 'no posting after the meeting');
    await checkA11y(visitor, `${path} (concluded)`);

    // Attendance: who joined online or spoke is on the roll already; staff tick the venue.
    const roll = main.locator('table.roll');
    await expectText(roll.locator('tr', { hasText: MEMBER.name }).locator('td').nth(2), /发言/);
    await expectText(roll.locator('tr', { hasText: '潘晓玲' }).locator('td').nth(2), '未出席');
    await main.getByRole('checkbox', { name: '会场签到 潘晓玲', exact: true }).check();
    await expectText(roll.locator('tr', { hasText: '潘晓玲' }).locator('td').nth(2), '会场签到');
    await main.locator('#roll-filter').fill('潘');
    await expectText(roll.locator('tbody tr'), /潘晓玲/);
    await checkA11y(page, `${path} (roll call)`);

    // Staff draft the minutes from the record, save and publish them; open rooms update.
    await main.getByRole('button', { name: '根据会议记录生成草稿', exact: true }).click();
    await page.waitForFunction(() => /会议纪要[\s\S]*张立新/.test(document.querySelector('#minutes-text')?.value ?? ''));
    const draft = await main.locator('#minutes-text').inputValue();
    assert.match(draft, /加装电梯的补贴标准是多少？/);
    assert.match(draft, /答：每台电梯补贴15万元。/);
    await main.locator('#minutes-text').fill(`${draft}\n会议要求各部门抓好落实。`);
    await main.getByRole('button', { name: '保存纪要', exact: true }).click();
    await expectVisible(main.getByText('纪要尚未发布，仅机关工作人员和主持人可见。'));
    await expectText(room.locator('.outcome .state.empty').first(), '会议纪要尚未发布。');
    await main.getByRole('button', { name: '发布纪要', exact: true }).click();
    await expectVisible(room.locator('article.minutes', { hasText: '会议要求各部门抓好落实。' }));
    await checkA11y(page, `${path} (staff, outcome)`);

    // Recommendations are shown once the outcome is published.
    await main.locator('#recommendation-text').fill('简化老旧小区加装电梯审批流程');
    await main.locator('#recommendation-department').selectOption({ label: '市住房和城乡建设局' });
    await main.getByRole('button', { name: '添加建议', exact: true }).click();
    await expectVisible(main.locator('ol.recommendations li', { hasText: '简化老旧小区加装电梯审批流程' }));
    await main.getByRole('button', { name: '发布成果', exact: true }).click();
    await expectVisible(room.locator('ol.recommendations li', { hasText: '简化老旧小区加装电梯审批流程' }));
    await checkA11y(visitor, `${path} (outcome published)`);

    // The reader has no router: its navigation is plain links (the current section marked),
    // and following one loads the whole app, where the visitor finds the consultation listed.
    assert.deepEqual(await visitor.locator('.main-nav a[aria-current="page"]').allTextContents(), ['远程协商']);
    const wasm = [];
    visitor.on('request', (r) => {
      if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
    });
    await visitor.locator('.main-nav').getByRole('link', { name: '远程协商', exact: true }).click();
    await visitor.waitForURL((u) => u.pathname === '/consultations');
    await expectVisible(visitor.getByRole('link', { name: title }));
    assert.ok(wasm.length > 0 && wasm.every((w) => !w.startsWith('/reader/')), `the whole app loaded: ${wasm}`);
    // Filters: an online-topic filter hides it, the remote one shows it again.
    await visitor.locator('#consultation-kind').selectOption('online');
    await expectVisible(visitor.getByText('目前没有公开的远程协商或网络议政议题。'));
    await visitor.locator('#consultation-kind').selectOption('remote');
    await expectVisible(visitor.getByRole('link', { name: title }));
    await checkA11y(visitor, '/consultations (filtered)');
  } finally {
    await visitorContext.close();
    await memberContext.close();
    await officialContext.close();
  }
});
