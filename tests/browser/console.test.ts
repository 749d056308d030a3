/**
 * The web console in a real browser (Debian's Chromium, headless, driven by
 * playwright-core) against the real stack: the API serving the built console,
 * a worker on the Temporal dev server, PostgreSQL and the SMTP sink. What a
 * new user does without a shell:
 *  - an official signs in with the code from the sink, signs the 交办单, opens
 *    the ledger with two tasks and submits the draft — with the keyboard alone;
 *  - an official of another district does not see that document;
 *  - the director reads the overdue board and the document's timeline, and the
 *    month's ranking with its charts;
 *  - a citizen votes on the mobile page, once.
 * Every main page is screenshotted into test-artifacts/browser/, no page has
 * an input without a label, and no page reports a Content-Security-Policy
 * violation (the console and the API reference /api/docs under their CSPs).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { mailSmsChannel } from '../../activities/sms';
import { createApp } from '../../api/app';
import { WEB_DIST_DEFAULT } from '../../api/web';
import { focusedId, launchChromium, screenshot, tabTo, typeToPick, unlabelledInputs } from '../support/browser';
import { tokenFor, uniqueDocNumber } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { CYCLE_YEARS, shanghaiYear } from '../support/testClock';
import { codeMails, nextLoginCode, nextSmsCode, smsCodes } from '../support/loginMail';

jest.setTimeout(240_000);

const email = (officialId: string) => `${officialId}@zibo.example.cn`;
// The lead unit (市生态环境局) is no other test's, so its official's to-do list is this test's alone.
const DOC_TITLE = '关于深化生态环境领域改革的实施意见（浏览器测试）';

describe('web console in Chromium (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let server: Server;
  let base: string;
  let app: ReturnType<typeof createApp>;
  let browser: Browser;
  let admin: string;
  let docId: string;
  const shots: string[] = [];
  /** What Chromium reported as blocked by a Content-Security-Policy, on any page of any test. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(WEB_DIST_DEFAULT, 'index.html'))) throw new Error('the console is not built: npm test builds it (bash scripts/build-web.sh)');
    harness = await startDevServerWorker();
    const { deps, client } = harness;
    app = createApp({ db: deps.db, client, mailer: deps.mailer, rateLimits: { perWorkflow: 1000 }, sms: mailSmsChannel(deps.mailer), voteSecret: 'browser-vote-secret-0123456789abcdef0123' });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    admin = await tokenFor(deps.db, 'ro-director');

    // The reform office registers a provincial document (the document exchange's webhook).
    const arrived = await request(app)
      .post('/api/documents')
      .set('Authorization', `Bearer ${admin}`)
      .send({ level: 'PROVINCIAL', title: DOC_TITLE, docNumber: uniqueDocNumber('鲁政发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-ecology', participantUnitIds: ['dept-housing'] });
    expect(arrived.status).toBe(201);
    docId = arrived.body.document.id;
    await eventually(() => deps.db.notice.count({ where: { subjectId: docId, kind: 'ASSIGNMENT', status: 'SENT' } }), (n) => n === 1);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(async () => {
    expect(cspViolations).toEqual([]);
    await expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows());
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await harness?.close();
    if (shots.length) console.log(`[browser] screenshots:\n  ${shots.join('\n  ')}`);
  });

  async function page(ctxOptions: Parameters<Browser['newContext']>[0] = {}): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...ctxOptions });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => console.error('[browser] page error:', e.message));
    // Chromium's own console line for a violation is not always whole: the page reports each one.
    await p.addInitScript(() => {
      const d = (globalThis as unknown as { document: { addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string; sourceFile: string }) => void): void } }).document;
      d.addEventListener('securitypolicyviolation', (e) => console.log(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile})`));
    });
    p.on('console', (m) => {
      if (m.text().startsWith('CSP violation:')) cspViolations.push(`${p.url()}: ${m.text()}`);
    });
    return { ctx, page: p };
  }

  async function shot(p: Page, name: string) {
    expect(await unlabelledInputs(p)).toEqual([]);
    shots.push(await screenshot(p, name));
  }

  /** Signs in through the login page with the mouse. */
  async function signIn(p: Page, officialId: string, next = '/') {
    const before = await codeMails(email(officialId));
    await p.goto(`${base}${next}`);
    await p.getByLabel('工作邮箱').fill(email(officialId));
    await p.getByRole('button', { name: '获取验证码' }).click();
    await p.getByLabel('邮件中的6位验证码').fill(await nextLoginCode(email(officialId), before));
    await p.getByRole('button', { name: '登录' }).click();
    await p.locator('nav[aria-label="主菜单"]').waitFor();
  }

  it('an official signs in with the mailed code, signs the 交办单, opens the ledger with two tasks and submits the draft — keyboard only', async () => {
    const { ctx, page: p } = await page();
    const me = 'dept-ecology-liaison';
    const before = await codeMails(email(me));
    await p.goto(`${base}/`);
    await p.waitForURL(/\/login/);
    await shot(p, '01-login');

    // Sign in: Tab to the address, type, Enter; the code field takes the focus; type the mailed code, Enter.
    await tabTo(p, '工作邮箱');
    await p.keyboard.type(email(me));
    await p.keyboard.press('Enter');
    await p.getByLabel('邮件中的6位验证码').waitFor();
    await eventually(() => focusedId(p), (id) => id === 'login-code', 5000);
    await p.keyboard.type(await nextLoginCode(email(me), before));
    await p.keyboard.press('Enter');
    await p.waitForURL(/\/todo$/);

    // 我的待办: the 交办单 to sign for, the two obligations with their lights, the count in the header.
    const notices = p.locator('[data-testid=todo-notices]');
    await notices.getByText(DOC_TITLE).first().waitFor();
    const count = Number(await p.locator('[data-testid=todo-count] sup').innerText());
    expect(count).toBeGreaterThanOrEqual(3);
    await expect(p.locator('[data-testid=todo-obligations]').getByText('报送上会文件初稿').first().isVisible()).resolves.toBe(true);
    await shot(p, '02-todo');

    // 签收 the notice from the list, then open the document from it.
    await tabTo(p, `签收：【交办单】`);
    await p.keyboard.press('Enter');
    await p.getByText(/已签收：/).waitFor();
    await eventually(async () => Number(await p.locator('[data-testid=todo-count] sup').innerText()), (n) => n === count - 1, 10_000);
    await tabTo(p, '报送上会文件初稿');
    await p.keyboard.press('Enter');
    await p.waitForURL(new RegExp(`/documents/${docId}$`));

    // The document offers exactly what the lead unit's official may do now: 签收 (the acknowledge step).
    const actions = p.locator('[data-testid=actions] h3');
    await actions.first().waitFor();
    expect(await actions.allInnerTexts()).toEqual(['签收']);
    await tabTo(p, '签收交办单');
    await p.keyboard.press('Enter');
    await p.locator('[data-testid=document-state]', { hasText: '已签收' }).waitFor();

    // Now 建立台账 (and adding single tasks); the ledger with two tasks, by keyboard.
    await p.locator('#ledger-leader').waitFor();
    expect(await actions.allInnerTexts()).toEqual(['建立台账', '添加台账任务']);
    await tabTo(p, '牵头领导');
    await typeToPick(p, '分管领导');
    for (const [i, task] of [
      { title: '制定生态环境损害赔偿制度实施方案', owner: '起草人', due: '2026-12-20' },
      { title: '梳理排污许可制度改革任务清单', owner: '改革联络员', due: '2026-12-28' },
    ].entries()) {
      await tabTo(p, '添加任务');
      await p.keyboard.press('Enter');
      await tabTo(p, `任务${i + 1}内容`);
      await p.keyboard.type(task.title);
      await tabTo(p, `任务${i + 1}责任人`);
      await typeToPick(p, task.owner);
      await tabTo(p, `任务${i + 1}完成时间`);
      await p.keyboard.type(task.due);
    }
    await tabTo(p, '附言');
    await p.keyboard.type('台账已按第五条建立');
    await tabTo(p, '建立台账');
    await p.keyboard.press('Enter');
    await p.locator('[data-testid=document-state]', { hasText: '起草中' }).waitFor();
    await expect(p.locator('[data-testid=ledger-tasks] tbody tr').count()).resolves.toBe(2);

    // 报送上会文件初稿.
    await tabTo(p, '报送上会文件初稿');
    await p.keyboard.press('Enter');
    await p.locator('[data-testid=document-state]', { hasText: '已报送上会文件初稿' }).waitFor();
    await p.locator('[data-testid=timeline]').getByText('报送上会文件初稿').first().waitFor();
    await shot(p, '03-document');

    const { db } = harness.deps;
    const doc = await db.document.findUniqueOrThrow({ where: { id: docId }, include: { ledgerTasks: { orderBy: { id: 'asc' } } } });
    const events = await db.workflowEvent.findMany({ where: { workflowId: doc.workflowId } });
    expect(doc.state).toBe('DRAFT_SUBMITTED');
    expect(doc.ledgerTasks.map((t) => [t.title, t.unitId, t.ownerId, t.dueAt.toISOString().slice(0, 10)])).toEqual([
      ['制定生态环境损害赔偿制度实施方案', 'dept-ecology', 'dept-ecology-drafter', '2026-12-20'],
      ['梳理排污许可制度改革任务清单', 'dept-ecology', 'dept-ecology-liaison', '2026-12-28'],
    ]);
    // Each step once, by the official who signed in (the console's session, not a token).
    expect(events.map((e) => [e.step, e.actorId]).sort()).toEqual([
      ['acknowledge', me],
      ['openLedger', me],
      ['submitDraft', me],
    ]);
    // Audit rows are written when each response has finished.
    expect(await eventually(() => db.auditLog.count({ where: { officialId: me, subjectId: docId, status: 200 } }), (n) => n === 3)).toBe(3);

    // The documents list, for the screenshot.
    await p.goto(`${base}/documents`);
    await p.locator('[data-testid=documents]').getByText(DOC_TITLE).waitFor();
    await shot(p, '04-documents');
    await ctx.close();
  });

  it('an official of another district does not see that document', async () => {
    const { ctx, page: p } = await page();
    await signIn(p, 'district-zichuan-director', '/todo');
    const listed = p.waitForResponse((r) => new URL(r.url()).pathname === '/api/documents');
    await p.goto(`${base}/documents`);
    expect((await listed).status()).toBe(200);
    await p.locator('[data-testid=documents]').getByText('没有可查看的文件').waitFor();
    expect(await p.locator('[data-testid=documents]').getByText(DOC_TITLE).count()).toBe(0);
    // Not even by its address (a forwarded e-mail link).
    await p.goto(`${base}/documents/${docId}`);
    await p.getByRole('alert').getByText('不存在或无权查看').waitFor();
    expect(await p.getByText(DOC_TITLE).count()).toBe(0);
    await shot(p, '05-other-district-refused');
    await ctx.close();
  });

  it('the director reads the overdue board, the document’s timeline and the month’s ranking with its charts', async () => {
    // A month of the 六个一 cycle, ranked, so the ranking page has something to draw.
    const month = `${shanghaiYear(Date.now()) + CYCLE_YEARS.browser}-03`;
    const started = await request(app).post('/api/cycles').set('Authorization', `Bearer ${admin}`).send({ month, seed: 'browser-test' });
    expect([200, 201]).toContain(started.status);
    const closed = await request(app).post(`/api/cycles/${month}/close`).set('Authorization', `Bearer ${admin}`).send({ note: '浏览器测试' });
    expect(closed.status).toBe(200);

    const { ctx, page: p } = await page();
    await signIn(p, 'ro-director', '/admin');
    await p.waitForURL(/\/admin$/);
    // The board over the next 60 days: the document's open obligation, under its lead unit, with its light.
    await p.getByLabel('含几天内到期').fill('60');
    await p.getByRole('button', { name: '刷新' }).click();
    const board = p.locator('[data-testid=overdue-board]');
    const row = board.locator('tr', { hasText: '市生态环境局' }).first();
    await row.waitFor();
    await row.locator('.el-table__expand-icon').click();
    // The innermost row of that obligation (the expanded unit row holds every item of the unit: the last match).
    const item = board.locator('tr', { hasText: DOC_TITLE }).filter({ hasText: '出台市级配套文件并印发到区县' }).last();
    await item.waitFor();
    await expect(item.getByText('出台市级配套文件并印发到区县').isVisible()).resolves.toBe(true);
    await expect(item.locator('[data-light]').getAttribute('data-light')).resolves.toMatch(/GREEN|YELLOW|RED/);
    await shot(p, '06-admin-overdue');

    // The timeline: every step with who did it, in order.
    await item.getByRole('link', { name: '查看' }).click();
    await p.waitForURL(/\/admin\/timeline\//);
    const timeline = p.locator('[data-testid=timeline]');
    await timeline.getByText('报送上会文件初稿').first().waitFor();
    const titles = await timeline.locator('strong').allInnerTexts();
    const at = (s: string) => titles.findIndex((t) => t.includes(s));
    expect(at('发出【交办单】')).toBeGreaterThanOrEqual(0);
    expect(at('签收')).toBeGreaterThan(at('发出【交办单】'));
    expect(at('建立台账')).toBeGreaterThan(at('签收'));
    expect(at('报送上会文件初稿')).toBeGreaterThan(at('建立台账'));
    await shot(p, '07-timeline');
    // The timeline leads to the item's own page.
    await p.getByRole('link', { name: '打开办理页面' }).click();
    await p.waitForURL(/\/documents\//);
    await p.getByText(DOC_TITLE).first().waitFor();

    // Search and the audit log answer too.
    await p.goto(`${base}/admin`);
    await p.getByRole('tab', { name: '审计日志' }).click();
    await p.locator('[data-testid=audit] tbody tr').first().waitFor();
    await shot(p, '08-admin-audit');

    // 月度督查: the ranking with its charts (ECharts draws on canvas).
    await p.goto(`${base}/cycles/${month}`);
    await p.getByRole('tab', { name: '评分排名' }).click();
    await p.locator('[data-testid=ranking-districts] tbody tr').first().waitFor();
    await expect(p.locator('[data-testid=ranking-districts] tbody tr').count()).resolves.toBe(11);
    await expect(p.locator('[role=img] canvas').count()).resolves.toBe(3);
    await shot(p, '09-cycle-ranking');
    await p.getByRole('tab', { name: '督查' }).click();
    await shot(p, '10-cycle-inspections');

    await p.goto(`${base}/innovation`);
    await p.locator('[data-testid=selections]').waitFor();
    await shot(p, '11-innovation');
    await ctx.close();
  });

  it('a citizen votes on the mobile page without signing in, once per round', async () => {
    // A selection in its public round: candidates, the mutual vote, then SECOND_VOTE (driven through the API).
    const half = '2031-H1';
    const { deps } = harness;
    const tok: Record<string, string> = {};
    const districts = ['district-zhangdian', 'district-linzi', 'district-boshan'];
    for (const d of districts) tok[d] = await tokenFor(deps.db, `${d}-deputy`);
    const as = (d: string) => ({ Authorization: `Bearer ${tok[d]}` });
    expect((await request(app).post('/api/innovation/selections').set('Authorization', `Bearer ${admin}`).send({ half })).status).toBe(201);
    await eventually(() => deps.db.innovationSelection.findUnique({ where: { id: half } }), (s) => s?.phase === 'CALL');
    const ids: string[] = [];
    for (const [i, d] of districts.entries()) {
      const res = await request(app)
        .post(`/api/innovation/selections/${half}/candidates`)
        .set(as(d))
        .send({ title: ['“一窗受理”集成服务改革', '“无证明城市”建设', '农村集体产权制度改革'][i], summary: '经验做法、成效和可推广性的简要说明', material: [{ name: '经验材料' }], leadUnitId: 'dept-approval' });
      expect(res.status).toBe(201);
      ids.push(res.body.candidate.id);
    }
    const close = (phase: string) => request(app).post(`/api/innovation/selections/${half}/close-round`).set('Authorization', `Bearer ${admin}`).send({ phase });
    expect((await close('CALL')).status).toBe(200);
    for (const [i, d] of districts.entries()) {
      expect((await request(app).post(`/api/innovation/selections/${half}/votes`).set(as(d)).send({ candidateIds: ids.filter((_, k) => k !== i) })).status).toBe(201);
    }
    expect((await close('MUTUAL_VOTE')).body.phase).toBe('SECOND_VOTE');

    const { ctx, page: p } = await page({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await p.goto(`${base}/vote/${half}`);
    await p.getByText('“无证明城市”建设').waitFor();
    await shot(p, '12-public-vote');
    await p.getByText('“一窗受理”集成服务改革').tap();
    await p.getByText('农村集体产权制度改革').tap();
    await p.getByLabel('手机号', { exact: true }).fill('13912345678');
    // The code arrives by SMS (the development channel delivers it to the mail sink).
    let sent = await smsCodes('13912345678');
    await p.getByRole('button', { name: '获取验证码' }).tap();
    await p.getByLabel('验证码', { exact: true }).fill(await nextSmsCode('13912345678', sent));
    await p.getByRole('button', { name: /投票（已选 2 项）/ }).tap();
    await p.locator('[data-testid=vote-done]').waitFor();
    await shot(p, '13-public-vote-done');
    const ballots = await deps.db.innovationBallot.findMany({ where: { selectionId: half, round: 'PUBLIC' } });
    expect(ballots).toHaveLength(1);
    expect(ballots[0].candidateIds.sort()).toEqual([ids[0], ids[2]].sort());

    // The same phone again: refused, in words, and nothing more is stored.
    await p.goto(`${base}/vote/${half}`);
    await p.getByText('“无证明城市”建设').tap();
    await p.getByLabel('手机号', { exact: true }).fill('13912345678');
    sent = await smsCodes('13912345678');
    await p.getByRole('button', { name: '获取验证码' }).tap();
    await p.getByLabel('验证码', { exact: true }).fill(await nextSmsCode('13912345678', sent));
    await p.getByRole('button', { name: /投票（已选/ }).tap();
    await p.getByRole('alert').getByText('每人每轮只能投一次').waitFor();
    expect(await deps.db.innovationBallot.count({ where: { selectionId: half, round: 'PUBLIC' } })).toBe(1);
    await ctx.close();
  });

  it('the API reference (/api/docs) renders offline under its CSP; every answer carries the security headers', async () => {
    const docs = await request(app).get('/api/docs');
    const json = await request(app).get('/api/openapi.json');
    const consolePage = await request(app).get('/').set('Accept', 'text/html');
    const checked = [docs, json, consolePage].map((r) => ({
      nosniff: r.headers['x-content-type-options'],
      csp: r.headers['content-security-policy'] ?? '',
      frame: r.headers['x-frame-options'],
    }));
    console.log(`[headers] nosniff+CSP+frame options on /api/docs, /api/openapi.json, /: ${checked.filter((h) => h.nosniff === 'nosniff' && h.csp && h.frame).length}/3`);
    for (const h of checked) {
      expect(h.nosniff).toBe('nosniff');
      expect(h.csp).toContain("frame-ancestors 'self'");
      expect(h.frame).toBe('SAMEORIGIN');
    }
    // The API's JSON answers are data, never a page: nothing may load or run from them.
    expect(checked[1].csp).toContain("default-src 'none'");

    const { ctx, page: p } = await page();
    await p.goto(`${base}/api/docs`);
    // Scalar draws the page from the document: its title as a heading proves the scripts ran and fetched it.
    await p.getByRole('heading', { name: 'duban 督办 API' }).first().waitFor({ timeout: 60_000 });
    await shot(p, '14-api-docs');
    await ctx.close();
  });
});

