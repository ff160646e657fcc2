/**
 * Report schedules (issue 14, CD3): a saved call report mailed as CSV through the outbox daily, weekly or
 * monthly; "send now"; due runs claimed exactly once across nodes; owner-scoped; refused below Report
 * Supervisor (G15).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { IngestResult, Named, SupervisorLevel } from '../../src/contract/index.js';
import { ReportsService } from '../../src/modules/call-data/reports.service.js';
import type { ReportSchedule, ReportScheduleSent } from '../../src/modules/call-data/schedules.schemas.js';
import { ReportSchedulesService } from '../../src/modules/call-data/schedules.service.js';
import { api, uniqueEmail, type ApiClient, type Page, type ProblemBody } from '../support/api.js';
import { describeEachDatabase, startTestServer, type TestServer } from '../support/server.js';
import { EVENTUALLY_MS } from '../support/waiting.js';
import { tenantWithPhoneUsers } from './call-data-support.js';

interface Mail {
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: string }>;
}

const DAY_MS = 86_400_000;

describeEachDatabase('call data: report schedules', (kind) => {
  let server: TestServer;
  let a: ApiClient;
  let t: string;
  let sales: string;
  let boss: string;
  let other: string;
  const path = (p = '') => `/v1/tenants/${t}/reports/schedules${p}`;
  const as = <T = ProblemBody>(token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', p = '', body?: unknown) =>
    a.call<T>(method, path(p), { token, ...(body !== undefined && { body }) });
  const supervisor = async (level: SupervisorLevel) => {
    const u = await a.user(t, { email: uniqueEmail(level), permissions: ['website_access'] });
    if (level !== 'none')
      expect((await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: level })).status).toBe(
        200,
      );
    return a.session(t, u.id);
  };
  const mailbox = async (to: string) =>
    (await a.asProvider<Page<Mail>>('GET', `/v1/dev/mailbox?to=${encodeURIComponent(to)}`)).body.items;
  const mailArrives = (to: string, count: number) =>
    vi.waitFor(
      async () => {
        const got = await mailbox(to);
        expect(got).toHaveLength(count);
        return got;
      },
      { timeout: EVENTUALLY_MS, interval: 25 },
    );
  const schedule = (recipients: string[], extra: Record<string, unknown> = {}) => ({
    name: 'Daily by group',
    report: { by: 'group', direction: 'internal' },
    recipients,
    frequency: 'daily',
    timeOfDay: '07:30',
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestServer(kind);
    a = api(server);
    const tenant = await tenantWithPhoneUsers(a, ['ada', 'bob']);
    t = tenant.t;
    const token = tenant.token;
    const ada = tenant.ids.ada!;
    sales = (await a.asProvider<Named>('POST', `/v1/tenants/${t}/groups`, { name: 'Sales' })).body.id;
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${ada}`, {
      groups: [sales],
      primaryGroup: sales,
      licences: ['essential'],
    });
    // The licences were held since before yesterday (stored by licence at call time, CD1).
    await sql`update user_data_licences set valid_from = valid_from - interval '3 days' where tenant_id = ${t}`.execute(
      server.deps.db,
    );
    // Three internal calls and one inbound yesterday (UTC): the daily report of today covers them.
    const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const call = (n: number, direction: string) => ({
      id: `c${n}`,
      startedAt: new Date(midnight - 12 * 3600_000 + n * 60_000).toISOString(),
      direction,
      from: { number: '201', user: 'ada' },
      to: { number: '202', user: 'bob' },
      disposition: 'answered',
      waitSeconds: 2,
      talkSeconds: 30,
    });
    const r = await a.call<IngestResult>('POST', `/v1/tenants/${t}/platform/call-records`, {
      token,
      body: { records: [call(1, 'internal'), call(2, 'internal'), call(3, 'internal'), call(4, 'inbound')] },
    });
    expect(r.body).toMatchObject({ stored: 4 });
    boss = await supervisor('report');
    other = await supervisor('report');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('CD3, G15: schedules need Report Supervisor; below it the answer names the rule', async () => {
    const none = await supervisor('none');
    const list = await as(none, 'GET');
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ rule: 'G15' });
    const create = await as(none, 'POST', '', schedule([uniqueEmail('r')]));
    expect(create.status).toBe(403);
  });

  it('CD3: a daily schedule runs next at its time of day; weekly and monthly on their day, in the time zone', async () => {
    const daily = await as<ReportSchedule>(boss, 'POST', '', schedule([uniqueEmail('r')]));
    expect(daily.status).toBe(201);
    const next = new Date(daily.body.nextRunAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY_MS);
    expect(next.toISOString().slice(11, 16)).toBe('07:30');
    expect(daily.body).toMatchObject({ timeZone: 'UTC', dayOfWeek: null, dayOfMonth: null, version: 1 });

    const weekly = await as<ReportSchedule>(
      boss,
      'POST',
      '',
      schedule([uniqueEmail('r')], { frequency: 'weekly', dayOfWeek: 3, timeZone: 'Europe/Warsaw' }),
    );
    expect(weekly.status).toBe(201);
    const w = new Date(weekly.body.nextRunAt);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Warsaw',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(w);
    expect(local).toBe('Wed 07:30');

    const monthly = await as<ReportSchedule>(
      boss,
      'POST',
      '',
      schedule([uniqueEmail('r')], { frequency: 'monthly', dayOfMonth: 15, timeOfDay: '23:05' }),
    );
    expect(new Date(monthly.body.nextRunAt).toISOString()).toMatch(/-15T23:05:00/);

    const bad = await as(boss, 'POST', '', schedule([uniqueEmail('r')], { timeZone: 'Mars/Olympus' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
  });

  it('CD3: a schedule is its owner’s: another supervisor neither lists nor reads it (404); the provider sees all', async () => {
    const mine = (await as<ReportSchedule>(boss, 'POST', '', schedule([uniqueEmail('r')]))).body;
    expect((await as(other, 'GET', `/${mine.id}`)).status).toBe(404);
    expect((await as(other, 'PATCH', `/${mine.id}`, { name: 'Taken' })).status).toBe(404);
    expect((await as(other, 'POST', `/${mine.id}/send`)).status).toBe(404);
    const theirs = (await as<Page<ReportSchedule>>(other, 'GET')).body.items.map((s) => s.id);
    expect(theirs).not.toContain(mine.id);
    const all = (await a.asProvider<Page<ReportSchedule>>('GET', path())).body.items.map((s) => s.id);
    expect(all).toContain(mine.id);
    expect((await as<Page<ReportSchedule>>(boss, 'GET')).body.items.map((s) => s.id)).toContain(mine.id);
  });

  it('CD3, E3: a change recomputes the next run and bumps the version; a stale If-Match is refused', async () => {
    const s = (await as<ReportSchedule>(boss, 'POST', '', schedule([uniqueEmail('r')]))).body;
    const changed = await as<ReportSchedule>(boss, 'PATCH', `/${s.id}`, { timeOfDay: '06:00', name: 'Early' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Early', timeOfDay: '06:00', version: 2 });
    expect(new Date(changed.body.nextRunAt).toISOString().slice(11, 16)).toBe('06:00');
    const stale = await a.call('PATCH', path(`/${s.id}`), {
      token: boss,
      body: { name: 'Late' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await as(boss, 'DELETE', `/${s.id}`)).status).toBe(204);
    expect((await as(boss, 'GET', `/${s.id}`)).status).toBe(404);
  });

  it('CD3: send now mails every recipient the report of yesterday as a CSV attachment, through the outbox', async () => {
    const to = [uniqueEmail('ops'), uniqueEmail('cfo')];
    const s = (await as<ReportSchedule>(boss, 'POST', '', schedule(to))).body;
    const sent = await as<ReportScheduleSent>(boss, 'POST', `/${s.id}/send`);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ scheduleId: s.id, recipients: to, rows: 2 });
    for (const r of to) {
      const [mail] = await mailArrives(r, 1);
      expect(mail!.subject).toContain('Daily by group');
      expect(mail!.attachments).toHaveLength(1);
      const csv = mail!.attachments[0]!;
      expect(csv.contentType).toContain('text/csv');
      expect(csv.filename).toMatch(/\.csv$/);
      const lines = csv.content.trim().split('\n');
      expect(lines[0]).toMatch(/^key,label,total,answered/);
      // Internal calls only (the saved filter): three for ada (Sales), three for bob (no primary group).
      expect(lines.find((l) => l.startsWith(`${sales},Sales,3,3`))).toBeDefined();
      expect(lines.at(-1)).toMatch(/^total,Total,6,6/);
    }
    // Send now leaves the next run alone.
    expect((await as<ReportSchedule>(boss, 'GET', `/${s.id}`)).body.nextRunAt).toBe(s.nextRunAt);
  });

  it('CD3: a due run is claimed exactly once by racing nodes, mailed once, and its next run moves on', async () => {
    const to = uniqueEmail('race');
    const s = (await as<ReportSchedule>(boss, 'POST', '', schedule([to]))).body;
    await sql`update report_schedules set next_run_at = now() - interval '1 minute' where id = ${s.id}`.execute(
      server.deps.db,
    );
    // Two nodes' sweeps at once (other tests' schedules are not due: at most this one is claimed).
    const node = () => new ReportSchedulesService(server.deps, new ReportsService(server.deps));
    const claimed = await Promise.all([node().sendDue(), node().sendDue(), node().sendDue()]);
    expect(claimed.reduce((x, y) => x + y, 0)).toBe(1);
    const [mail] = await mailArrives(to, 1);
    expect(mail!.attachments[0]!.content).toMatch(/^total,Total,6,6/m);
    const after = (await as<ReportSchedule>(boss, 'GET', `/${s.id}`)).body;
    expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect(after.lastRunAt).not.toBeNull();
    expect(after.lastError).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailbox(to)).toHaveLength(1);
  });

  it('CD3, G15: a run whose owner lost Report Supervisor mails nothing and says why', async () => {
    const u = await a.user(t, { email: uniqueEmail('leaver'), permissions: ['website_access'] });
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: 'report' });
    const token = await a.session(t, u.id);
    const to = uniqueEmail('leaver-inbox');
    const s = (await as<ReportSchedule>(token, 'POST', '', schedule([to]))).body;
    await a.asProvider('PATCH', `/v1/tenants/${t}/users/${u.id}`, { supervisorLevel: 'none' });
    await sql`update report_schedules set next_run_at = now() - interval '1 minute' where id = ${s.id}`.execute(
      server.deps.db,
    );
    expect(await new ReportSchedulesService(server.deps, new ReportsService(server.deps)).sendDue()).toBe(1);
    const after = (await a.asProvider<ReportSchedule>('GET', path(`/${s.id}`))).body;
    expect(after.lastError).toMatch(/^G15/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailbox(to)).toEqual([]);
  });
});
