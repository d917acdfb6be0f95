// Hostile content shown in the browser stays inert: script tags, event-handler attributes,
// javascript: links, SVG payloads, Markdown tricks, right-to-left overrides, emoji and long
// Chinese text, entered through posts, titles, descriptions, places and report reasons, then
// viewed by the public, the author and the moderator. The test fails on any dialog, on any
// script the payloads would run, and on any live attribute or link they would leave behind.

import assert from 'node:assert/strict';
import {
  ADMIN,
  apiSignIn,
  browserTest,
  expectVisible,
  gotoApp,
  MEMBER,
  signIn,
  uniqueSuffix,
  useBrowser,
} from './lib.mjs';

useBrowser();

// An account no other browser test posts with, so that its posting budget is its own.
const AUTHOR = { login: 'member9', password: MEMBER.password };
const RUN = uniqueSuffix();
const MARK = `恶意测试${RUN}`;

// Each sets window.__pwned or opens a dialog if it ever runs.
const PAYLOADS = [
  '<script>window.__pwned=1;alert(1)</script>',
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '[点我领奖](javascript:window.__pwned=1)',
  '![图](javascript:window.__pwned=1)',
  '![x](x" onerror="window.__pwned=1)',
  '<svg onload="window.__pwned=1"><script>alert(1)</script></svg>',
  '<a href="javascript:window.__pwned=1">链接</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '附件\u202Egpj.exe',
  '🀄👨‍👩‍👧 𠮷',
  '城'.repeat(3000),
];

const text = (i) => `${MARK}-${i}：${PAYLOADS[i]}`;
// Descriptions have length limits of their own: every payload but the long text.
const allShort = (sep) => PAYLOADS.slice(0, -1).map((_, i) => text(i)).join(sep);

/** Created once through the API: the same hostile content in every kind of field. */
let setup;
async function hostileContent() {
  if (setup) return setup;
  const member = await apiSignIn(AUTHOR.login, AUTHOR.password);
  const admin = await apiSignIn(ADMIN.login, ADMIN.password);
  const groups = await member.get('/reading-groups');
  const group = groups.items.find((g) => g.name === '《乡土中国》读书群');
  assert.ok(group, 'the demo public reading group');
  if (!group.my_role) await member.post(`/reading-groups/${group.id}/join`, {});
  // Three reflections carry all the payloads: posting is limited to 10 a minute.
  for (const part of [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]) {
    await member.post(`/reading-groups/${group.id}/posts`, {
      kind: 'reflection',
      body: part.map(text).join('\n\n'),
    });
  }
  const micro = await member.post('/micro-consultations', {
    title: `${MARK} <img src=x onerror="window.__pwned=1">`,
    description: allShort('\n'),
    location: '<script>window.__pwned=1</script>光明社区',
  });
  const suggestion = await member.post('/suggestions', {
    title: `${MARK} <svg onload="window.__pwned=1">`,
    body: allShort('\n'),
    location: '附件\u202Egpj.exe',
    public: true,
  });
  const org = await admin.get('/org');
  const consultation = await admin.post('/consultations', {
    kind: 'remote',
    title: `${MARK} <script>window.__pwned=1</script>`,
    description: allShort('\n\n'),
    venues: '<img src=x onerror="window.__pwned=1">主会场',
    visibility: 'public',
    starts_at: 1_800_000_000_000,
    ends_at: 1_800_010_000_000,
    invited_sectors: org.sectors.map((s) => s.id),
  });
  const consultationId = consultation.summary.id;
  await admin.post(`/consultations/${consultationId}/state`, { to: 'published' });
  const post = await member.post(`/consultations/${consultationId}/posts`, { kind: 'comment', body: text(1) });
  await member.post(`/posts/${post.id}/reports`, { reason: `${MARK} <script>window.__pwned=1</script>` });
  setup = {
    group: group.id,
    micro: micro.id ?? micro.summary.id,
    suggestion: suggestion.id ?? suggestion.summary.id,
    consultation: consultationId,
  };
  return setup;
}

/** Records dialogs (and dismisses them) and marks whether any payload ran. */
async function watch(page) {
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.addInitScript(() => {
    window.__pwned = 0;
  });
  return dialogs;
}

/** Nothing ran, and nothing live is left in what the app rendered. */
async function assertInert(page, dialogs, where) {
  // Give any delayed handler (an image's onerror) a chance to fire.
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], `dialogs opened on ${where}`);
  assert.equal(await page.evaluate(() => window.__pwned), 0, `a payload ran on ${where}`);
  const live = await page.evaluate(() => {
    const main = document.querySelector('main#main');
    const found = [];
    for (const el of main.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        if (attr.startsWith('on')) found.push(`${el.tagName} ${attr}`);
        const value = (el.getAttribute(attr) ?? '').trim().toLowerCase();
        if ((attr === 'href' || attr === 'src') && /^(javascript|data):/.test(value)) {
          found.push(`${el.tagName} ${attr}=${value}`);
        }
      }
      if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) found.push(el.tagName);
    }
    return found;
  });
  assert.deepEqual(live, [], `live content on ${where}`);
}

browserTest('hostile posts, titles and places are shown as text to the public', async ({ page }) => {
  const ids = await hostileContent();
  const dialogs = await watch(page);

  await gotoApp(page, `/reading-groups/${ids.group}`, { a11y: false });
  const main = page.locator('main#main');
  await expectVisible(main.locator('.reading-post', { hasText: `${MARK}-0` }));
  // Markdown keeps the words of a forbidden link, without the link; raw HTML is dropped.
  await expectVisible(main.getByText('点我领奖', { exact: false }).first());
  assert.equal(await main.getByRole('link', { name: '点我领奖' }).count(), 0);
  await expectVisible(main.getByText('𠮷', { exact: false }).first());
  await assertInert(page, dialogs, 'the reading group');

  await gotoApp(page, `/consultations/${ids.consultation}`, { a11y: false });
  await expectVisible(main.locator('h1', { hasText: '<script>window.__pwned=1</script>' }));
  await expectVisible(main.getByText('主会场', { exact: false }).first());
  await assertInert(page, dialogs, 'the consultation');

  await gotoApp(page, `/search?q=${encodeURIComponent(MARK)}`, { a11y: false });
  await expectVisible(main.locator('li, article', { hasText: MARK }).first());
  await assertInert(page, dialogs, 'search results');
});

browserTest('hostile content stays inert for its author and for the moderator', async ({ page }) => {
  const ids = await hostileContent();
  const dialogs = await watch(page);

  await signIn(page, AUTHOR.login, AUTHOR.password);
  await gotoApp(page, `/micro-consultations/${ids.micro}`, { a11y: false });
  const main = page.locator('main#main');
  await expectVisible(main.locator('h1', { hasText: 'onerror' }));
  await assertInert(page, dialogs, 'the micro-consultation (author)');
  // Not public until reviewed: its author sees it.
  await gotoApp(page, `/suggestions/${ids.suggestion}`, { a11y: false });
  await expectVisible(main.locator('h1', { hasText: '<svg onload' }));
  await assertInert(page, dialogs, 'the suggestion (author)');
  await gotoApp(page, '/me', { a11y: false });
  await assertInert(page, dialogs, 'my activity');

  await page.context().clearCookies();
  await signIn(page, ADMIN.login, ADMIN.password);
  await gotoApp(page, '/admin/moderation', { a11y: false });
  await expectVisible(main.getByText(`${MARK} <script>`, { exact: false }).first());
  await assertInert(page, dialogs, 'the moderation queue');
  await gotoApp(page, '/micro-consultations?state=raised', { a11y: false });
  await assertInert(page, dialogs, 'the micro-consultation list (staff)');
});
