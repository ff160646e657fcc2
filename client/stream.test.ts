import { afterEach, describe, expect, it, vi } from 'vitest';
import { can, canDial } from './can.js';
import type { EffectiveConfig } from './http.js';
import { changedKeys, ConfigStream, type WebSocketLike } from './stream.js';

function config(version: number, overrides: Partial<EffectiveConfig> = {}): EffectiveConfig {
  return {
    userId: 'u1',
    tenantId: 't1',
    version,
    status: 'active',
    capabilities: ['agenda:use', 'inbox:use', 'telephony:call'],
    queues: [{ id: 'q1', name: 'Sales', roles: ['agent'], capabilities: ['queue:join'] }],
    features: {
      calls: true,
      sms: false,
      recording: false,
      crmOverlay: true,
      dialRestriction: { enabled: true, homeRegion: 'PL', allowedRegions: ['DE'] },
    },
    softphone: null,
    supervisor: {
      level: 'none',
      reports: false,
      dashboards: false,
      wallboards: false,
      liveCalls: false,
      ccData: false,
    },
    ...overrides,
  };
}

/** A scripted WebSocket: records every URL opened and lets the test play the server. */
class FakeSocket implements WebSocketLike {
  static opened: FakeSocket[] = [];
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  sent: string[] = [];
  constructor(
    readonly url: string,
    readonly options?: { headers: Record<string, string> },
  ) {
    FakeSocket.opened.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop(1000);
  }
}

const latest = () => FakeSocket.opened[FakeSocket.opened.length - 1]!;

describe('ConfigStream (client SDK)', () => {
  afterEach(() => {
    FakeSocket.opened = [];
    vi.useRealTimers();
  });

  it('D1: sends the bearer token as a header and holds the first configuration', async () => {
    const s = new ConfigStream({ baseUrl: 'http://sb.test', token: 'sbs_x', WebSocket: FakeSocket, pingMs: 0 }).start();
    await Promise.resolve();
    expect(latest().url).toBe('ws://sb.test/v1/stream');
    expect(latest().options?.headers.authorization).toBe('Bearer sbs_x');
    latest().open();
    latest().receive({ type: 'config', version: 5, config: config(5) });
    expect(s.version).toBe(5);
    expect(await s.ready()).toEqual(config(5));
    s.stop();
  });

  it('D1: browsers fetch a fresh ticket for every connection', async () => {
    let n = 0;
    const s = new ConfigStream({
      baseUrl: 'https://sb.test',
      getTicket: () => Promise.resolve(`sbw_${++n}`),
      WebSocket: FakeSocket,
      random: () => 0,
      pingMs: 0,
    }).start();
    await vi.waitFor(() => expect(FakeSocket.opened).toHaveLength(1));
    expect(latest().url).toBe('wss://sb.test/v1/stream?ticket=sbw_1');
    latest().drop();
    await vi.waitFor(() => expect(FakeSocket.opened).toHaveLength(2));
    expect(latest().url).toContain('ticket=sbw_2');
    s.stop();
  });

  it('D3, D4: reconnects with backoff and full jitter, resumes with since, never steps back', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    const s = new ConfigStream({
      baseUrl: 'http://sb.test',
      token: 't',
      WebSocket: FakeSocket,
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 1000 },
      pingMs: 0,
    });
    s.on('close', ({ reconnectInMs }) => {
      if (reconnectInMs !== null) delays.push(reconnectInMs);
    });
    const changes: number[] = [];
    s.on('change', ({ config: c }) => changes.push(c.version));
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().receive({ type: 'config', version: 7, config: config(7) });
    for (let i = 0; i < 5; i++) {
      latest().drop();
      await vi.advanceTimersByTimeAsync(1000);
    }
    // 0.5 x min(1000, 100 x 2^n): 50, 100, 200, 400, 500 (capped).
    expect(delays).toEqual([50, 100, 200, 400, 500]);
    expect(latest().url).toContain('since=7');
    latest().receive({ type: 'config', version: 6, config: config(6) }); // older: ignored
    latest().receive({ type: 'uptodate', version: 7 });
    latest().receive({
      type: 'config',
      version: 9,
      config: config(9, { features: { ...config(9).features, sms: true } }),
    });
    expect(changes).toEqual([7, 9]);
    // A received configuration resets the backoff.
    latest().drop();
    expect(delays[delays.length - 1]).toBe(50);
    s.stop();
  });

  it('D5: revoked stops the stream for good', async () => {
    vi.useFakeTimers();
    const s = new ConfigStream({ baseUrl: 'http://sb.test', token: 't', WebSocket: FakeSocket, pingMs: 0 });
    const revoked = vi.fn();
    s.on('revoked', revoked);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    latest().receive({ type: 'revoked', reason: 'suspended' });
    latest().drop(4001);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(revoked).toHaveBeenCalledWith({ reason: 'suspended' });
    expect(FakeSocket.opened).toHaveLength(1);
  });

  it('sends application pings so browsers keep the connection checked', async () => {
    vi.useFakeTimers();
    const s = new ConfigStream({ baseUrl: 'http://sb.test', token: 't', WebSocket: FakeSocket, pingMs: 1000 }).start();
    await vi.advanceTimersByTimeAsync(0);
    latest().open();
    await vi.advanceTimersByTimeAsync(2500);
    expect(latest().sent).toEqual(['{"type":"ping"}', '{"type":"ping"}']);
    s.stop();
  });

  it('changedKeys names the sections (and features) that changed', () => {
    const next = config(2, { capabilities: ['inbox:use'], features: { ...config(2).features, recording: true } });
    expect(changedKeys(config(1), next)).toEqual(['capabilities', 'features.recording']);
  });
});

describe('can / canDial (evaluated locally)', () => {
  it('can reads unscoped capabilities and queue-scoped ones per queue', () => {
    const c = config(1);
    expect(can(c, 'telephony:call')).toBe(true);
    expect(can(c, 'telephony:sms')).toBe(false);
    expect(can(c, 'queue:join', 'queue:q1')).toBe(true);
    expect(can(c, 'queue:join', 'queue:q2')).toBe(false);
    expect(can(c, 'queue:join')).toBe(false);
    expect(can(null, 'inbox:use')).toBe(false);
    expect(can(config(1, { status: 'suspended' }), 'inbox:use')).toBe(false);
  });

  it('F1, F3: canDial applies channels and the dial restriction like the server', () => {
    const c = config(1);
    expect(canDial(c, '+49 30 1234567', 'call')).toEqual({
      allowed: true,
      region: 'DE',
      internal: false,
      code: 'allowed_region',
      rule: 'F3',
    });
    expect(canDial(c, '22 123 45 67', 'call')).toMatchObject({ allowed: true, region: 'PL', code: 'home_region' });
    expect(canDial(c, '+1 416 555 0123', 'call')).toMatchObject({
      allowed: false,
      region: 'CA',
      code: 'restricted',
      rule: 'F3',
    });
    expect(canDial(c, 'garbage', 'call')).toMatchObject({ allowed: false, code: 'invalid_number' });
    expect(canDial(c, '+49 30 1234567', 'sms')).toMatchObject({
      allowed: false,
      code: 'channel_not_allowed',
      rule: 'F1',
    });
    expect(canDial(null, '+49 30 1234567', 'call').allowed).toBe(false);
  });

  it('F5: canDial allows the home region emergency numbers and feature codes like the server', () => {
    const c = config(1, { features: { ...config(1).features, sms: false } });
    const emergency = { allowed: true, region: 'PL', internal: false, code: 'emergency', rule: 'F5' };
    expect(canDial(c, '112', 'call')).toEqual(emergency);
    expect(canDial(c, '+48 997', 'call')).toEqual(emergency);
    expect(canDial(c, '112', 'sms')).toEqual(emergency); // whatever the channel
    expect(canDial(config(1, { status: 'suspended' }), '112', 'call')).toEqual(emergency);
    expect(canDial(config(1, { status: 'suspended' }), '+48 600 000 000', 'call')).toMatchObject({
      allowed: false,
      code: 'account_inactive',
      rule: 'G13',
    });
    expect(canDial(c, '*72', 'call')).toEqual({
      allowed: true,
      region: null,
      internal: true,
      code: 'internal',
      rule: 'F5',
    });
    // Extensions are not in the configuration: offline, '1001' is judged as a number.
    expect(canDial(c, '1001', 'call')).toMatchObject({ allowed: false, code: 'invalid_number' });
  });
});
