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
 *  - a citizen votes on the mobile page, once;
 *  - the reform office names the lead unit of a document that arrived without
 *    one, and a district signs for the issued municipal document;
 *  - one step of each later family through its page alone: a district submits
 *    an innovation item and its group's leader passes it (第十二条), the reform office registers a superior
 *    meeting (第三条), the director fixes an evaluation's plan and a district
 *    files its self-scores (第九条, 第十四条（三）), a lead unit reports a
 *    pilot's progress on the pilot the reform office registered (第十一条), the
 *    reform office starts a quarter of seeking pilots and issues its leads, and
 *    a district files its monthly 对接 report (第十一条(一)(二)).
 * Every main page is screenshotted into test-artifacts/browser/, no page has
 * an input without a label, and no page reports a Content-Security-Policy
 * violation (the console and the API reference /api/docs under their CSPs).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import request from 'supertest';
import { mailSmsChannel } from '../../activities/sms';
import { createApp } from '../../api/app';
import { WEB_DIST_DEFAULT } from '../../api/web';
import { focusedId, launchChromium, screenshot, tabTo, typeToPick, unlabelledInputs } from '../support/browser';
import { tokenFor, uniqueDocNumber } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { D1, planFrom, seedExperiences, uniqueEvaluationYear } from '../support/evaluation';
import { CYCLE_YEARS, shanghaiYear } from '../support/testClock';
import { nextQuarter, quarterOf } from '../../workflows/pilotSeeking/state';
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
    open.set(p, []);
    inFlight.set(p, new Map());
    p.on('close', () => {
      open.delete(p);
      inFlight.delete(p);
    });
    // The API's refusals and the requests still unanswered, shown with the page if its scenario fails.
    p.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/')) open.get(p)?.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
    });
    p.on('request', (r) => inFlight.get(p)?.set(r, Date.now()));
    p.on('requestfinished', (r) => inFlight.get(p)?.delete(r));
    p.on('requestfailed', (r) => inFlight.get(p)?.delete(r));
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

  /** The pages still open, with the API refusals each has seen. */
  const open = new Map<Page, string[]>();
  /** Each open page's requests not yet answered, with when they were sent. */
  const inFlight = new Map<Page, Map<Request, number>>();
  let failures = 0;

  /** A scenario whose failure leaves a screenshot, the visible text and the API refusals of every page still open. */
  function scenario(name: string, fn: () => Promise<void>, timeout?: number) {
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        for (const [p, refusals] of open) {
          const file = await screenshot(p, `failed-${++failures}`).catch(() => 'no screenshot');
          const text = await p.locator('body').innerText().catch(() => '');
          const waiting = [...(inFlight.get(p) ?? [])].map(([r, at]) => `${r.method()} ${new URL(r.url()).pathname} (${((Date.now() - at) / 1000).toFixed(1)} s)`);
          console.log(`[browser] failed "${name}" at ${p.url()} (${file})\nAPI refusals: ${refusals.join('; ') || 'none'}\nunanswered: ${waiting.join('; ') || 'none'}\n${text.slice(0, 2000)}`);
        }
        // What the workflows of the scenario wait on (a step that never answers waits on one of them).
        console.log(`[browser] pending work: ${(await harness.pendingWork().catch((e: unknown) => [String(e)])).join('\n  ') || 'none'}`);
        throw err;
      }
    }, timeout);
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

  /** Fills a field of a step form by its label: text, or an option of a select (`pick`). */
  async function fill(p: Page, label: string, text: string) {
    await p.getByLabel(label, { exact: true }).fill(text);
  }
  /**
   * Each option is typed into a filterable select first, so the list shrinks to it: clicking into a
   * long list raced its scrolling under load and chose a neighbour (市财政局 for 市大数据局) or nothing.
   * The select must then show the option, and its list be closed: a multiple select keeps the typed
   * text, on which Escape only clears the text, and the list left open swallowed the next click.
   */
  async function pick(p: Page, label: string, ...options: Array<string | RegExp>) {
    const box = p.getByRole('combobox', { name: label, exact: true });
    const filterable = await box.isEditable();
    for (const o of options) {
      await box.click({ force: true });
      if (filterable) await box.fill(typeof o === 'string' ? o : o.source);
      await p.locator('.el-select-dropdown__item:visible').getByText(o, { exact: typeof o === 'string' }).first().click();
      await p.locator('.el-select').filter({ has: box }).filter({ hasText: o }).waitFor({ timeout: 5000 });
    }
    if (filterable && (await box.inputValue())) await box.fill('');
    await p.keyboard.press('Escape');
    await p.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
  }
  const post = (path: string, body: object) => request(app).post(`/api${path}`).set('Authorization', `Bearer ${admin}`).send(body);

  scenario('an official signs in with the mailed code, signs the 交办单, opens the ledger with two tasks and submits the draft — keyboard only', async () => {
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

  scenario('an official of another district does not see that document', async () => {
    const { ctx, page: p } = await page();
    await signIn(p, 'district-zichuan-director', '/todo');
    const listed = p.waitForResponse((r) => new URL(r.url()).pathname === '/api/documents');
    await p.goto(`${base}/documents`);
    // Its list holds what concerns it (documents issued to every district by the files running beside this one, perhaps), never this one.
    const answer = await listed;
    expect(answer.status()).toBe(200);
    expect(((await answer.json()) as { items: { id: string }[] }).items.map((d) => d.id)).not.toContain(docId);
    await p.locator('[data-testid=documents]').waitFor();
    expect(await p.locator('[data-testid=documents]').getByText(DOC_TITLE).count()).toBe(0);
    // Not even by its address (a forwarded e-mail link).
    await p.goto(`${base}/documents/${docId}`);
    await p.getByRole('alert').getByText('不存在或无权查看').waitFor();
    expect(await p.getByText(DOC_TITLE).count()).toBe(0);
    await shot(p, '05-other-district-refused');
    await ctx.close();
  });

  scenario('the director reads the overdue board, the document’s timeline and the month’s ranking with its charts', async () => {
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
    // 第十条（二）: the lead department of the document above carries open tasks: ranked in its own table.
    await p.locator('[data-testid=ranking-departments] tbody tr', { hasText: '市生态环境局' }).first().waitFor();
    await shot(p, '09-cycle-ranking');
    await p.getByRole('tab', { name: '督查' }).click();
    await shot(p, '10-cycle-inspections');

    await p.goto(`${base}/innovation`);
    await p.locator('[data-testid=selections]').waitFor();
    await shot(p, '11-innovation');
    await ctx.close();
  });

  scenario('a citizen votes on the mobile page without signing in, once per round', async () => {
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

  scenario('the reform office names the lead unit of a provincial document that arrived without one; a district signs for the issued municipal document', async () => {
    const { db } = harness.deps;
    const title = '关于深化国资国企改革的实施意见（浏览器测试）';
    const arrived = await post('/documents', { level: 'PROVINCIAL', title, docNumber: uniqueDocNumber('鲁发'), issuedAt: new Date().toISOString() });
    expect(arrived.status).toBe(201);
    const id: string = arrived.body.document.id;
    await eventually(() => db.document.findUniqueOrThrow({ where: { id } }), (d) => d.state === 'AWAITING_LEAD');

    // 第五条: the director picks the lead department on the document's page; the 交办单 goes out then.
    const { ctx, page: p } = await page();
    await signIn(p, 'ro-director', `/documents/${id}`);
    await p.locator('[data-testid=document-state]', { hasText: '待确定牵头部门' }).waitFor();
    expect(await p.locator('[data-testid=actions] h3').allInnerTexts()).toContain('确定牵头部门');
    await pick(p, '牵头部门', '市国资委');
    await p.getByRole('button', { name: '确定牵头部门并下发交办单' }).click();
    await p.locator('[data-testid=document-state]', { hasText: '已交办' }).waitFor();
    await shot(p, '15-document-lead');
    const assigned = await db.document.findUniqueOrThrow({ where: { id } });
    expect([assigned.state, assigned.leadUnitId]).toEqual(['ASSIGNED', 'dept-sasac']);
    expect(await db.workflowEvent.findMany({ where: { workflowId: assigned.workflowId, step: 'assignLead' }, select: { actorId: true } })).toEqual([{ actorId: 'ro-director' }]);
    await eventually(() => db.notice.count({ where: { subjectId: id, kind: 'ASSIGNMENT' } }), (n) => n === 1);
    await ctx.close();

    // Through the API to the issuance, to one district (印发到区县).
    for (const [path, body] of [
      ['acknowledge', {}],
      ['ledger', { leadLeaderId: 'dept-sasac-leader', draftingUnitId: 'dept-sasac', timeline: [], tasks: [{ title: '制定国企改革实施细则', unitId: 'dept-sasac', ownerId: 'dept-sasac-drafter', dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }] }],
      ['draft', {}],
      ['legal-review', { approved: true }],
      ['executive-meeting', { approved: true }],
      ['adoption', { approved: true }],
      ['issuance', { municipalDocNumber: uniqueDocNumber('淄政发'), municipalTitle: '淄博市深化国资国企改革实施方案', districtIds: ['district-yiyuan'] }],
    ] as const) {
      expect([path, (await post(`/documents/${id}/${path}`, body)).status]).toEqual([path, 200]);
    }

    // The district finds the document in its list and signs for it there.
    const district = await page();
    const q = district.page;
    await signIn(q, 'district-yiyuan-director', '/documents');
    await q.locator('[data-testid=documents]').getByRole('link', { name: title }).click();
    await q.waitForURL(new RegExp(`/documents/${id}$`));
    await q.locator('[data-testid=actions] h3', { hasText: '区县签收市级配套文件：沂源县' }).waitFor();
    await fill(q, '附言', '已组织学习');
    await q.getByRole('button', { name: '签收市级配套文件' }).click();
    await q.locator('[data-testid=actions]').getByText('当前没有需要您办理的环节').waitFor();
    await shot(q, '16-document-distribution');
    const events = await db.workflowEvent.findMany({ where: { workflowId: assigned.workflowId, step: 'acknowledgeDistribution' }, select: { actorId: true } });
    expect(events).toEqual([{ actorId: 'district-yiyuan-director' }]);
    expect(await db.obligation.findMany({ where: { workflowId: assigned.workflowId, key: { endsWith: ':distribution:district-yiyuan' } }, select: { status: true } })).toEqual([{ status: 'DONE' }]);
    await district.ctx.close();
  });

  scenario('第十二条: a district submits an innovation item on the year’s page; its special group’s leader passes it', async () => {
    const { db } = harness.deps;
    // Next year's call (this year's is the exploration tests' own).
    const year = String(shanghaiYear(Date.now()) + 1);
    expect([200, 201]).toContain((await post('/exploration', { year })).status);
    await eventually(() => db.explorationYear.findUnique({ where: { id: year } }), (y) => y?.phase === 'CALL');

    const { ctx, page: p } = await page();
    await signIn(p, 'district-wenchanghu-director', '/exploration');
    await p.locator('[data-testid=exploration-years]').getByRole('link', { name: `${year}年度` }).waitFor();
    await shot(p, '21-exploration-years');
    await p.locator('[data-testid=exploration-years]').getByRole('link', { name: `${year}年度` }).click();
    await p.locator('[data-testid=exploration-phase]', { hasText: '提报' }).waitFor();
    const title = '景区综合执法体制改革（浏览器测试）';
    await fill(p, '事项名称', title);
    await pick(p, '事项类别', '亟需改革事项');
    await fill(p, '事项简介（不少于10字）', '整合景区内多头执法力量，组建综合执法队伍');
    await pick(p, '所属改革专项小组', '纪律检查体制改革专项小组');
    await p.getByRole('button', { name: '提报探索创新改革事项' }).click();
    // The item listed, or the refusal the page shows (said in the failure).
    const shown = await Promise.race([
      p.locator('[data-testid=exploration-items]').getByText(title).waitFor().then(() => 'listed'),
      p.locator('.el-alert--error').first().waitFor().then(() => p.locator('.el-alert--error').first().innerText()),
    ]);
    expect(shown).toBe('listed');
    await shot(p, '17-exploration');
    const items = await db.explorationItem.findMany({ where: { year, unitId: 'district-wenchanghu' }, select: { itemId: true, title: true, kind: true, groupId: true } });
    expect(items.map(({ itemId: _, ...i }) => i)).toEqual([{ title, kind: 'PROPOSAL', groupId: 'sg-discipline' }]);
    await ctx.close();

    // 第十二条(二): the call closes; the group's leader signs its first review, passing the item (none chosen to fail).
    expect((await post(`/exploration/${year}/close`, { phase: 'CALL' })).status).toBe(200);
    const leader = await page();
    await signIn(leader.page, 'sg-discipline-leader', `/exploration/${year}`);
    await leader.page.locator('[data-testid=exploration-phase]', { hasText: '专项小组初审' }).waitFor();
    await leader.page.getByRole('button', { name: '专项小组初审（组长审核签字）' }).click();
    await leader.page.locator('[data-testid=exploration-items] tr', { hasText: title }).getByText('通过').waitFor();
    const reviewed = await db.explorationItem.findFirstOrThrow({ where: { year, itemId: items[0].itemId } });
    expect(reviewed.groupReview).toMatchObject({ passed: true, by: 'sg-discipline-leader' });
    await leader.ctx.close();
  });

  scenario('第三条: the reform office registers a superior leading-group meeting on the 第一议题 page', async () => {
    const { db } = harness.deps;
    // The latest superior meeting supersedes every older one, and other files register theirs weeks ago:
    // this one, years old, supersedes none of theirs (a backlog entered late).
    const heldAt = new Date(Date.now() - (3 * 366 + Math.floor(Math.random() * 300)) * 86_400_000);
    const local = new Date(heldAt.getTime() + 8 * 3600_000).toISOString();
    const title = `中央全面深化改革委员会会议（浏览器测试 ${local.slice(0, 10)}）`;

    const { ctx, page: p } = await page();
    await signIn(p, 'ro-director', '/meetings');
    await pick(p, '会议层级', '中央全面深化改革委员会');
    await fill(p, '会议名称', title);
    await fill(p, '召开时间', `${local.slice(0, 10)} 15:00`);
    await pick(p, '须传达学习的单位（不选则按政策规定的全部单位）', '高青县', '市大数据局');
    await shot(p, '22-meetings-register');
    await p.getByRole('button', { name: '登记上级深改领导小组会议' }).click();
    await p.waitForURL(/\/meetings\/[^/]+$/);
    await p.locator('[data-testid=owing]').getByText('市大数据局').waitFor();
    await shot(p, '18-meeting');
    const row = await db.superiorMeeting.findFirstOrThrow({ where: { title } });
    expect([row.level, [...row.unitIds].sort(), row.heldAt.toISOString()]).toEqual(['CENTRAL', ['dept-bigdata', 'district-gaoqing'], new Date(`${local.slice(0, 10)}T15:00:00+08:00`).toISOString()]);
    // Its workflow took it over; still the latest (this file alone), each listed body was told to convey it.
    const state = (await eventually(() => db.superiorMeeting.findUniqueOrThrow({ where: { id: row.id } }), (m) => m.state !== 'REGISTERED')).state;
    expect(['CONVEYING', 'SUPERSEDED']).toContain(state);
    if (state === 'CONVEYING') await eventually(() => db.notice.count({ where: { subjectType: 'meeting', subjectId: row.id, kind: 'CONVEY' } }), (n) => n >= 1);
    await ctx.close();
  });

  scenario('第九条, 第十四条（三）: the director fixes the evaluation plan, and a district files its self-scores and the experiences it chooses for the visit', async () => {
    const { db } = harness.deps;
    const year = uniqueEvaluationYear();
    const experiences = await seedExperiences(db, year);
    expect((await post('/evaluations', { year, seed: 'browser' })).status).toBe(201);

    // 第九条（一）–（三）: five major items, the evaluator, indicators and the schedule, typed one per line.
    const plan = planFrom(Date.now());
    const shanghai = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const director = await page();
    const d = director.page;
    await signIn(d, 'ro-director', '/evaluations');
    await d.locator('[data-testid=evaluations]').waitFor();
    await shot(d, '23-evaluations');
    await d.goto(`${base}/evaluations/${year}`);
    await d.locator('[data-testid=evaluation-phase]', { hasText: '制定评估方案' }).waitFor();
    const names: Record<string, string> = { 'dept-finance': '市财政局', 'dept-health': '市卫生健康委' };
    await fill(d, '重大改革事项（每行一项：事项名称，层级（中央/省级/市级），牵头单位）', plan.items.map((i) => `${i.title}，省级，${names[i.leadUnitId]}`).join('\n'));
    await fill(d, '第三方评估机构', plan.evaluator.name);
    await fill(d, '评估指标（每行一项：指标名称，权重）', plan.indicators.map((i) => `${i.name}，${i.weight}`).join('\n'));
    await fill(d, '评估内容和方法', plan.methods);
    await fill(d, '排名办法', plan.ranking);
    await fill(d, '自评和部门评分截止时间', shanghai(plan.scoresDueAt));
    await fill(d, '评估报告截止时间', shanghai(plan.reportDueAt));
    await d.getByRole('button', { name: '确定评估事项、第三方评估机构和评估方案' }).click();
    await d.locator('[data-testid=evaluation-phase]', { hasText: '自评和部门评分' }).waitFor();
    const { plan: planned } = (await db.evaluation.findUniqueOrThrow({ where: { year } })).body as unknown as { plan: typeof plan };
    // To the minute: the form takes minutes, not seconds.
    const minute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();
    expect({ ...planned, scoresDueAt: minute(planned.scoresDueAt), reportDueAt: minute(planned.reportDueAt) }).toEqual({
      ...plan,
      evaluator: { name: plan.evaluator.name },
      scoresDueAt: minute(plan.scoresDueAt),
      reportDueAt: minute(plan.reportDueAt),
    });
    await director.ctx.close();

    const { ctx, page: p } = await page();
    await signIn(p, `${D1}-deputy`, `/evaluations/${year}`);
    await p.locator('[data-testid=evaluation-phase]', { hasText: '自评和部门评分' }).waitFor();
    for (const [i, e] of experiences.entries()) {
      await fill(p, e.title, String(80 + i));
      await p.keyboard.press('Tab');
    }
    await pick(p, '自选供实地评估的经验', experiences[0].title, experiences[3].title);
    await p.getByRole('button', { name: '报送自评分数并自选实地评估经验' }).click();
    await p.getByText(/已自评：张店区/).waitFor();
    await shot(p, '19-evaluation');
    const row = await db.evaluation.findUniqueOrThrow({ where: { year } });
    const mine = (row.body as { selfScores: Array<{ unitId: string; scores: Record<string, number>; chosen: string[]; submittedBy: string }> }).selfScores;
    expect(mine).toEqual([
      expect.objectContaining({
        unitId: D1,
        scores: Object.fromEntries(experiences.map((e, i) => [e.id, 80 + i])),
        chosen: [experiences[0].id, experiences[3].id],
        submittedBy: `${D1}-deputy`,
      }),
    ]);
    await ctx.close();
  });

  scenario('第十一条: the reform office registers a pilot with its ledger; the lead unit reports its progress on its page', async () => {
    const { db } = harness.deps;
    const reference = uniqueDocNumber('鲁改办函');
    const title = '公共数据授权运营改革试点（浏览器测试）';
    const due = new Date(Date.now() + 365 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

    // 第十一条（五）: the pilot's ledger — lead unit, its leader, goals, time limit, use of the results.
    const office = await page();
    const o = office.page;
    await signIn(o, 'ro-director', '/pilots');
    await pick(o, '办理事项', '登记争取到的改革试点（建立试点台账）');
    await fill(o, '批复文号', reference);
    await fill(o, '试点名称', title);
    // Submitted half filled in: the form names what is missing, in its own words, and sends nothing.
    await o.getByRole('button', { name: '登记争取到的改革试点（建立试点台账）' }).click();
    expect(await o.locator('.el-alert--error').first().innerText()).toContain('请填写：牵头单位、牵头领导、试点目标、完成时限、成果运用');
    expect(await db.pilot.count({ where: { reference } })).toBe(0);
    await pick(o, '牵头单位', '市大数据局');
    await pick(o, '牵头领导', /市大数据局分管领导/);
    await fill(o, '试点目标', '建成公共数据授权运营平台');
    await fill(o, '完成时限', `${due} 17:00`);
    await fill(o, '成果运用', '形成可复制经验，报省推广');
    await shot(o, '24-pilots-register');
    await o.getByRole('button', { name: '登记争取到的改革试点（建立试点台账）' }).click();
    await o.waitForURL(/\/pilots\/[^/]+$/);
    // The registration answers once the workflow has recorded the pilot running.
    await o.locator('[data-testid=pilot-state]', { hasText: '试点推进中' }).waitFor();
    const pilot = await db.pilot.findUniqueOrThrow({ where: { reference } });
    expect([pilot.origin, pilot.level, pilot.leadUnitId, pilot.leaderId, pilot.dueAt?.toISOString()]).toEqual([
      'WON',
      'PROVINCIAL',
      'dept-bigdata',
      'dept-bigdata-leader',
      new Date(`${due}T17:00:00+08:00`).toISOString(),
    ]);
    const { id, workflowId } = pilot;
    await office.ctx.close();

    const { ctx, page: p } = await page();
    await signIn(p, 'dept-bigdata-liaison', '/pilots');
    await p.locator('[data-testid=pilots]').getByRole('link', { name: title }).click();
    await p.locator('[data-testid=pilot-state]', { hasText: '试点推进中' }).waitFor();
    await pick(p, '办理事项', '报送试点进展（一月一调度）');
    await fill(p, '本月进展', '完成首批数据目录编制');
    await p.getByRole('button', { name: '报送试点进展（一月一调度）' }).click();
    await p.getByText('报送试点进展（一月一调度）：已办理').waitFor();
    await shot(p, '20-pilot');
    const events = await db.workflowEvent.findMany({ where: { workflowId, step: 'reportProgress' }, select: { actorId: true, data: true } });
    expect(events).toEqual([{ actorId: 'dept-bigdata-liaison', data: expect.objectContaining({ note: '完成首批数据目录编制' }) }]);
    expect((await db.pilot.findUniqueOrThrow({ where: { id } })).state).toBe('RUNNING');
    await ctx.close();
  });

  scenario('第十一条(一)(二): the reform office starts a quarter and issues its leads on the page; a district files its monthly 对接 report', async () => {
    const { db } = harness.deps;
    // The next quarter: the integration test walks the current and the previous one on the same server.
    const quarter = nextQuarter(quarterOf(Date.now()));
    const office = await page();
    const o = office.page;
    // The office's deputy director (an administrator): the director signs in for five other walks, the most codes one official gets in 15 minutes.
    await signIn(o, 'ro-deputy', '/pilot-seeking');
    await pick(o, '办理事项', '启动季度争取试点工作');
    await fill(o, '季度（如 2027-Q1，不填为本季度）', quarter);
    await o.getByRole('button', { name: '启动季度争取试点工作' }).click();
    await o.waitForURL(new RegExp(`/pilot-seeking/${quarter}$`));
    await o.locator('[data-testid=pilot-seeking-phase]', { hasText: '对接争取中' }).waitFor();
    // 第十一条(二): one lead per line — its name, level, source, lead unit and participants, units by name.
    await pick(o, '办理事项', '交办本季度试点线索');
    await fill(o, '试点线索（每行一条）', '医保支付方式改革试点｜中央｜国家医保局｜市卫生健康委｜张店区、市财政局');
    await shot(o, '25-pilot-seeking-leads');
    await o.getByRole('button', { name: '交办本季度试点线索' }).click();
    await o.getByText('交办本季度试点线索：已办理').waitFor();
    const row = await db.pilotSeekingQuarter.findUniqueOrThrow({ where: { id: quarter } });
    expect(row.leads).toEqual([{ id: 'L-1', title: '医保支付方式改革试点', level: 'CENTRAL', source: '国家医保局', leadUnitId: 'dept-health', participantUnitIds: ['district-zhangdian', 'dept-finance'] }]);
    await office.ctx.close();

    // 第十一条(一): the district's report of the quarter's first month.
    const { ctx, page: p } = await page();
    await signIn(p, 'district-zhangdian-deputy', '/pilot-seeking');
    await p.locator('[data-testid=pilot-seeking-quarters]').getByRole('link', { name: quarter }).click();
    await p.locator('[data-testid=pilot-seeking-leads]').getByText('医保支付方式改革试点').waitFor();
    await pick(p, '办理事项', '报送对接争取情况');
    await fill(p, '对接的国家部委、省直部门', '省医保局');
    await fill(p, '了解到的新政策、新试点', '按病种分值付费扩面');
    await fill(p, '提出的争取事项', '申请纳入扩面城市');
    await shot(p, '26-pilot-seeking-report');
    await p.getByRole('button', { name: '报送对接争取情况' }).click();
    await p.getByText('报送对接争取情况：已办理').waitFor();
    const events = await db.workflowEvent.findMany({ where: { workflowId: row.workflowId, step: 'reportContact' }, select: { actorId: true, data: true } });
    expect(events).toEqual([{ actorId: 'district-zhangdian-deputy', data: expect.objectContaining({ month: 1, late: false }) }]);
    await ctx.close();
  });

  scenario('第十九条（三）: a department’s leader in charge, its 站长, finds the platforms’ 站长 and issues a token to an official of the department', async () => {
    const { ctx, page: p } = await page();
    await signIn(p, 'dept-housing-leader', '/site-masters');
    const row = p.locator('[data-testid=site-masters] tr', { hasText: '市住房城乡建设局' });
    await row.getByText('分管领导', { exact: true }).waitFor();
    const me = await harness.deps.db.official.findUniqueOrThrow({ where: { id: 'dept-housing-leader' } });
    await row.getByText(me.name, { exact: false }).first().waitFor();
    await pick(p, '人员', /起草人/);
    await fill(p, '令牌用途', '住建业务系统对接');
    await shot(p, '27-site-masters');
    await p.getByRole('button', { name: '签发令牌' }).click();
    await p.locator('[data-testid=issued-token]').waitFor();
    expect(await harness.deps.db.apiToken.count({ where: { officialId: 'dept-housing-drafter', label: '住建业务系统对接' } })).toBe(1);
    await ctx.close();
  });

  scenario('第十五条(一), 第十七条(二): the reform office starts the year of standing duties on the page, sees the media × weeks table and records a training', async () => {
    const { db } = harness.deps;
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const { ctx, page: o } = await page();
    await signIn(o, 'ro-deputy', '/duties');
    // Not given a year: the current one (already running when another walk started it: the page opens it all the same).
    await pick(o, '办理事项', '启动年度常态化工作');
    await o.getByRole('button', { name: '启动年度常态化工作' }).click();
    await o.waitForURL(new RegExp(`/duties/${year}$`));
    await o.locator('[data-testid=duties-phase]', { hasText: '进行中' }).waitFor();
    await o.locator('[data-testid=duties-table]').getByText('淄博日报').waitFor();
    // 第十七条(二) 定期组织专题培训: units by name.
    const title = `改革业务培训（浏览器${Date.now()}）`;
    await pick(o, '办理事项', '登记专题培训（定期培训）');
    await fill(o, '培训名称', title);
    await fill(o, '培训日期（YYYY-MM-DD）', new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
    await fill(o, '参训单位（用“、”分隔）', '张店区、市财政局');
    await shot(o, '28-duties');
    await o.getByRole('button', { name: '登记专题培训（定期培训）' }).click();
    await o.getByText('登记专题培训（定期培训）：已办理').waitFor();
    await o.locator('[data-testid=duties-trainings]').getByText(title).waitFor();
    const row = await db.dutiesYear.findUniqueOrThrow({ where: { id: String(year) } });
    expect((row.trainings as Array<{ title: string; participantUnitIds: string[] }>).find((t) => t.title === title)?.participantUnitIds).toEqual(['district-zhangdian', 'dept-finance']);
    await ctx.close();
  });

  scenario('the API reference (/api/docs) renders offline under its CSP; every answer carries the security headers', async () => {
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

