// Target 6 (issue 10), the browser side: a first visit to a public thread page in headless
// Chromium on loopback. Run by bench/run (part "browser"); prints one JSON line.
//
//   node bench/browser.mjs BASE PATH POSTS
//
// A fresh browser context (empty cache: a first visit) loads the page until its POSTS posts
// are in the page, then reports:
// - lcp_ms: the largest contentful paint (PerformanceObserver, the page's own clock);
// - shown_ms: from navigation until every post is in the page;
// - script_ms / task_ms: main-thread time spent running script / any task, from the
//   DevTools protocol's Performance.getMetrics (ScriptDuration, TaskDuration) once the posts
//   are shown. bench/run compares a small thread with the same thread grown to 500 posts: the
//   difference is what rendering the extra posts cost.
import { chromium } from 'playwright-core';

const [base, path, posts] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

async function visit(path, posts) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = Date.now();
  await page.goto(base + path);
  await page.waitForFunction(
    (n) => document.querySelectorAll('ol.posts li[id^="post-"]').length >= n,
    posts, { timeout: 60_000, polling: 10 });
  const shown = Date.now() - started;
  // LCP is final once the page had a moment without new content.
  await page.waitForTimeout(300);
  const metrics = Object.fromEntries(
    (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const lcp = await page.evaluate(() => window.__lcp);
  await context.close();
  return {
    lcp_ms: lcp, shown_ms: shown,
    script_ms: metrics.ScriptDuration * 1000, task_ms: metrics.TaskDuration * 1000,
  };
}

try {
  console.log(JSON.stringify(await visit(path, Number(posts))));
} finally {
  await browser.close();
}
