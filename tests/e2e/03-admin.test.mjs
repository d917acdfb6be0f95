// Committee office staff: create an account (whose holder must change the one-time password),
// import accounts from CSV, search the account list, edit the organisation lists.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  ADMIN,
  MEMBER,
  browserTest,
  checkA11y,
  expectHidden,
  expectText,
  expectVisible,
  gotoApp,
  pathOf,
  signIn,
  signOut,
  uniquePhone,
  uniqueSuffix,
  useBrowser,
  waitForHeaderUser,
  waitForPath,
} from './lib.mjs';

useBrowser();

/** Fills and submits the change-password form. */
async function changePassword(page, current, next, confirm = next) {
  await page.locator('#current-password').fill(current);
  await page.locator('#new-password').fill(next);
  await page.locator('#confirm-password').fill(confirm);
  await page.getByRole('button', { name: '保存新密码', exact: true }).click();
}

browserTest('admin creates a member, who must change the one-time password', async ({ page, allowConsoleError }) => {
  // Expected refusals that Chrome logs as console errors: the wrong current password (422)
  // and signing in with the replaced one-time password (401).
  allowConsoleError(/status of 422 .*\/api\/v1\/me\/password\)$/);
  allowConsoleError(/status of 401 .*\/api\/v1\/session\)$/);
  const suffix = uniqueSuffix();
  const username = `e2e.new.${suffix}`;
  const displayName = '刘新委员';
  const phone = uniquePhone('17');

  await signIn(page, ADMIN.login, ADMIN.password);
  await waitForHeaderUser(page, ADMIN.name);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expectVisible(nav.getByRole('link', { name: '管理', exact: true }));

  await gotoApp(page, '/admin/accounts');
  const main = page.locator('main#main');
  await expectVisible(main.getByRole('heading', { level: 2, name: '账号管理' }));
  await main.getByRole('link', { name: '新建账号', exact: true }).click();
  await waitForPath(page, '/admin/accounts/new');
  await expectVisible(page.locator('#username'));
  await checkA11y(page, '/admin/accounts/new');

  await page.locator('#username').fill(username);
  await page.locator('#display-name').fill(displayName);
  assert.equal(await page.locator('#role').inputValue(), 'member', 'role defaults to 委员');
  await page.locator('#phone').fill(phone);
  await page.locator('#sector').selectOption({ label: '教育界' });
  await page.getByRole('button', { name: '创建账号', exact: true }).click();

  await expectText(main.locator('code.otp-username'), username);
  const oneTimePassword = (await main.locator('code.otp-password').innerText()).trim();
  assert.ok(oneTimePassword.length >= 8, `one-time password looks real: ${oneTimePassword}`);
  await expectVisible(main.getByRole('heading', { name: '初始密码（只显示这一次）' }));
  await checkA11y(page, '/admin/accounts/new (one-time password)');

  // The new account is listed, waiting for its password change.
  await gotoApp(page, '/admin/accounts');
  await page.locator('#account-search').fill(username);
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  const row = main.locator('table.accounts tbody tr', { hasText: username });
  await expectVisible(row);
  await expectText(main.locator('.count'), '共 1 个账号');
  await expectVisible(row.getByText('待修改初始密码'));
  await expectVisible(row.getByRole('link', { name: displayName }));
  await checkA11y(page, '/admin/accounts (search)');

  await signOut(page);

  // The new member signs in with the one-time password and is sent to change it.
  await signIn(page, username, oneTimePassword, { expectPath: '/change-password' });
  await waitForHeaderUser(page, displayName);
  await expectText(main.locator('h1'), '修改密码');
  await expectText(main.locator('p.notice'), /首次登录请将初始密码修改/);

  // Nothing else is reachable before the change.
  await gotoApp(page, '/me', { a11y: false });
  await waitForPath(page, '/change-password');
  await checkA11y(page, '/change-password (after trying /me)');
  await expectText(main.locator('p.notice'), /首次登录请将初始密码修改/);
  // Following a nav link does not leave the page (the area page never renders).
  await page.evaluate(() => {
    window.__headings = [];
    new MutationObserver(() => {
      window.__headings.push(document.querySelector('main h1')?.textContent);
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });
  });
  await nav.getByRole('link', { name: '远程协商', exact: true }).click();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(pathOf(page), '/change-password');
  await expectText(main.locator('h1'), '修改密码');
  assert.ok(
    !(await page.evaluate(() => window.__headings)).includes('远程协商'),
    'the 远程协商 page was not shown',
  );

  // Confirmation that differs is caught before anything is sent.
  let passwordRequests = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/me/password') passwordRequests++;
  });
  await changePassword(page, oneTimePassword, 'mein-neues-passwort-1', 'mein-neues-passwort-2');
  await expectText(page.locator('#confirm-password-error'), '两次输入的新密码不一致。');
  assert.equal(passwordRequests, 0, 'nothing was sent to the server');
  assert.equal(await page.locator('#confirm-password').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, '/change-password (mismatch)');
  assert.equal(pathOf(page), '/change-password');

  // A wrong current password is reported on that field.
  await changePassword(page, 'wrong-current-pw', 'mein-neues-passwort-1');
  await expectText(page.locator('#current-password-error'), '不正确');
  assert.equal(await page.locator('#current-password').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#confirm-password-error').innerText(), '');
  assert.equal(pathOf(page), '/change-password');

  const newPassword = `neu-${suffix}-passwort`;
  await changePassword(page, oneTimePassword, newPassword);
  await waitForPath(page, '/');
  await checkA11y(page, '/ (after password change)');
  await waitForHeaderUser(page, displayName);

  await gotoApp(page, '/me');
  await expectText(main.locator('h1'), '我的履职');
  await expectText(main.locator('.profile-name'), displayName);
  await expectText(
    main.locator('dl.facts dt', { hasText: '界别' }).locator('xpath=following-sibling::dd[1]'),
    '教育界',
  );

  // The one-time password no longer works; the new one does.
  await signOut(page);
  await gotoApp(page, '/signin');
  await page.locator('#login').fill(username);
  await page.locator('#password').fill(oneTimePassword);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expectText(main.getByRole('alert'), '用户名、手机号或密码不正确。');
  assert.equal(pathOf(page), '/signin');
  await signIn(page, username, newPassword);
  await waitForHeaderUser(page, displayName);
});

browserTest('CSV import of three members, one with errors, then sign-in and search', async ({ page }) => {
  const suffix = uniqueSuffix();
  const good1 = `e2e.imp1.${suffix}`;
  const good2 = `e2e.imp2.${suffix}`;
  const bad = `e2e.imp3.${suffix}`;
  const csv = [
    '用户名,姓名,角色,手机号,界别',
    `${good1},赵导入,委员,${uniquePhone('16')},经济界`,
    `${good2},钱导入,委员,,教育界`,
    `${bad},孙导入,委员,,不存在的界别`,
  ].join('\n');

  await signIn(page, ADMIN.login, ADMIN.password);
  await gotoApp(page, '/admin/import');
  const main = page.locator('main#main');
  await expectVisible(main.getByRole('heading', { level: 2, name: '批量导入账号' }));
  const check = main.getByRole('button', { name: '检查文件', exact: true });
  assert.equal(await check.isDisabled(), true, 'nothing to check yet');
  await page.locator('#csv-text').fill(csv);
  await check.click();

  await expectText(main.locator('.preview .count'), '2 行可以导入，1 行有错误。');
  const rows = main.locator('table.import-preview tbody tr');
  assert.equal(await rows.count(), 3);
  const badRow = main.locator('table.import-preview tbody tr', { hasText: bad });
  assert.match(await badRow.getAttribute('class'), /\brow-error\b/);
  await expectText(badRow.locator('td').nth(3), /^✗ 界别：不存在$/);
  await expectText(badRow.locator('td').nth(0), '4');
  const goodRow = main.locator('table.import-preview tbody tr', { hasText: good1 });
  assert.doesNotMatch((await goodRow.getAttribute('class')) ?? '', /\brow-error\b/);
  await expectText(goodRow.locator('td').nth(3), '✓ 可以导入');
  // Importing everything is not offered while a row has errors.
  assert.equal(await main.getByRole('button', { name: /导入全部/ }).count(), 0);
  await checkA11y(page, '/admin/import (preview)');

  await main.getByRole('button', { name: '跳过错误行，导入 2 个有效账号', exact: true }).click();
  await expectText(main.locator('.import-result .success'), '已导入 2 个账号。');
  const resultRows = main.locator('table.import-result-table tbody tr');
  assert.equal(await resultRows.count(), 2);
  const passwords = {};
  for (let n = 0; n < 2; n++) {
    const cells = resultRows.nth(n).locator('td');
    const user = (await cells.nth(0).innerText()).trim();
    const pw = (await cells.nth(2).locator('code').innerText()).trim();
    assert.ok(pw.length >= 8, `one-time password for ${user}`);
    passwords[user] = pw;
  }
  assert.deepEqual(Object.keys(passwords).sort(), [good1, good2].sort());
  assert.equal(await main.locator('table.import-result-table', { hasText: bad }).count(), 0);
  await expectHidden(main.locator('.preview'));
  await checkA11y(page, '/admin/import (result)');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    main.getByRole('button', { name: '下载初始密码表（CSV）', exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'yishi-accounts.csv');
  const file = await readFile(await download.path(), 'utf8');
  assert.ok(file.startsWith('\uFEFF'), 'the CSV starts with a UTF-8 byte-order mark (for Excel)');
  const lines = file.slice(1).trim().split(/\r?\n/);
  assert.equal(lines[0], '用户名,姓名,密码');
  assert.equal(lines.length, 3);
  assert.ok(file.includes(`${good1},赵导入,${passwords[good1]}`), 'first account with its password');
  assert.ok(file.includes(`${good2},钱导入,${passwords[good2]}`), 'second account with its password');
  assert.ok(!file.includes(bad), 'the bad row was not imported');

  // The account list finds an imported member.
  await gotoApp(page, '/admin/accounts');
  await page.locator('#account-search').fill(good2);
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expectText(main.locator('.count'), '共 1 个账号');
  const row = main.locator('table.accounts tbody tr');
  assert.equal(await row.count(), 1);
  await expectText(row.locator('td').nth(1), good2);
  await expectText(row.locator('td').nth(0), '钱导入');
  await expectVisible(row.getByText('待修改初始密码'));
  // Searching for the skipped row finds nothing.
  await page.locator('#account-search').fill(bad);
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expectVisible(main.getByText('没有符合条件的账号。请换个关键词或清除筛选。'));
  await checkA11y(page, '/admin/accounts (no match)');

  // An imported member signs in with the one-time password and must change it.
  await signOut(page);
  await signIn(page, good1, passwords[good1], { expectPath: '/change-password' });
  await waitForHeaderUser(page, '赵导入');
  await expectText(main.locator('p.notice'), /首次登录请将初始密码修改/);
});

browserTest('admin adds a sector on the organisation page; a member has no access', async ({ page }) => {
  const sector = `测试界别${uniqueSuffix()}`;
  await signIn(page, ADMIN.login, ADMIN.password);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '管理', exact: true }).click();
  await waitForPath(page, '/admin');
  await checkA11y(page, '/admin');
  const main = page.locator('main#main');
  await expectVisible(main.getByRole('heading', { level: 2, name: '组织机构' }));
  const section = main.locator('section.org-section', {
    has: page.getByRole('heading', { level: 3, name: '界别', exact: true }),
  });
  await expectVisible(section.locator('.org-name', { hasText: '经济界' }));
  const before = await section.locator('.org-row').count();
  assert.ok(before >= 8, `the demo sectors are listed (${before})`);
  assert.equal(await section.locator('.org-name', { hasText: sector }).count(), 0);

  await page.locator('#new-sectors').fill(sector);
  await section.getByRole('button', { name: '添加', exact: true }).click();
  await expectVisible(section.locator('.org-name', { hasText: sector }));
  assert.equal(await section.locator('.org-row').count(), before + 1);
  assert.equal(await page.locator('#new-sectors').inputValue(), '', 'the input is cleared');
  await checkA11y(page, '/admin (sector added)');

  // Still there after a reload, and offered when creating an account.
  await gotoApp(page, '/admin');
  await expectVisible(main.locator('section.org-section .org-name', { hasText: sector }));
  await gotoApp(page, '/admin/accounts/new');
  assert.equal(await page.locator('#sector option', { hasText: sector }).count(), 1);

  // A member sees 没有权限 on /admin.
  await signOut(page);
  await signIn(page, MEMBER.login, MEMBER.password);
  assert.equal(await nav.getByRole('link', { name: '管理', exact: true }).count(), 0);
  await gotoApp(page, '/admin');
  await expectText(main.locator('h1'), '没有权限');
  await expectVisible(main.getByText('此页面仅供政协机关工作人员使用。'));
  assert.equal(await page.locator('#new-sectors').count(), 0);
  await gotoApp(page, '/admin/accounts');
  await expectText(main.locator('h1'), '没有权限');
  assert.equal(await main.locator('table.accounts').count(), 0);
});
