/**
 * The small live app view (issue #5, item 5), served at GET /app by the server itself so it works
 * without the portal build: sign in as a user (email and password, or a session token), open the
 * stream with a ticket (browsers cannot set headers on a WebSocket, D1) and watch each new
 * configuration arrive, with what changed highlighted. Plain HTML and inline script on purpose:
 * it has no build step and no dependencies. The portal's React live view lives in web/.
 */
export const APP_VIEW_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard · live app view</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
  header { background: #1c2b4a; color: #fff; padding: 10px 16px; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 16px; margin: 0; font-weight: 600; }
  main { display: grid; grid-template-columns: minmax(300px, 1fr) minmax(280px, 420px); gap: 16px; padding: 16px; }
  section { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 12px 14px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #56606b; margin: 0 0 8px; }
  form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
  label { display: flex; flex-direction: column; font-size: 12px; color: #56606b; gap: 2px; }
  input { font: inherit; padding: 5px 7px; border: 1px solid #b9c1ca; border-radius: 4px; min-width: 180px; }
  button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 1px solid #1c2b4a; background: #1c2b4a; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1c2b4a; }
  #status { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #56606b; }
  #status.live { background: #1f7a3a; } #status.off { background: #a33; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
  .changed { background: #fff3b0; transition: background 2s; }
  ul { list-style: none; margin: 0; padding: 0; max-height: 70vh; overflow: auto; }
  li { border-bottom: 1px solid #eef0f3; padding: 6px 0; font-size: 12px; }
  li b { font-variant-numeric: tabular-nums; }
  .chips span { display: inline-block; margin: 2px; padding: 1px 7px; border-radius: 10px; background: #e7ecf5; font-size: 12px; }
  .chips span.off { background: #f2e3e3; color: #8a2d2d; text-decoration: line-through; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header><h1>Switchboard · live app view</h1><span id="status" class="off">signed out</span><span id="who"></span></header>
<main>
  <section style="grid-column: 1 / -1" id="signin">
    <h2>Sign in as a user</h2>
    <form id="login">
      <label>Email<input name="email" type="email" autocomplete="username"></label>
      <label>Password<input name="password" type="password" autocomplete="current-password"></label>
      <button>Sign in</button>
      <span style="align-self:center;color:#56606b">or</span>
      <label>Session token (sbs_…)<input name="token" autocomplete="off"></label>
    </form>
    <p id="error" role="alert" style="color:#a33"></p>
  </section>
  <section id="current" hidden>
    <h2>Effective configuration · version <span id="version">–</span></h2>
    <div class="chips" id="features"></div>
    <h2 style="margin-top:12px">Capabilities</h2><div class="chips" id="caps"></div>
    <h2 style="margin-top:12px">Full document</h2><pre id="config"></pre>
    <p><button class="secondary" id="signout">Sign out</button></p>
  </section>
  <section id="log" hidden><h2>Arrivals</h2><ul id="events"></ul></section>
</main>
<script type="module">
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('sb_app_token');
let last = null, socket = null, attempt = 0, stopped = false;

function setStatus(text, cls) { $('status').textContent = text; $('status').className = cls; }
function logLine(html) { const li = document.createElement('li'); li.innerHTML = html; $('events').prepend(li); }
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Top-level keys (and feature keys) whose value changed between two configurations. */
function changes(a, b) {
  if (!a) return ['everything'];
  const out = [];
  for (const k of Object.keys(b)) if (k !== 'version' && JSON.stringify(a[k]) !== JSON.stringify(b[k])) {
    if (k === 'features') { for (const f of Object.keys(b.features)) if (JSON.stringify(a.features[f]) !== JSON.stringify(b.features[f])) out.push('features.' + f); }
    else out.push(k);
  }
  return out;
}

function render(cfg, changed) {
  $('version').textContent = cfg.version;
  const f = cfg.features;
  const dr = f.dialRestriction.enabled ? 'dialling: ' + [f.dialRestriction.homeRegion, ...f.dialRestriction.allowedRegions].join(', ') : 'dialling: anywhere';
  $('features').innerHTML = [['calls', f.calls], ['sms', f.sms], ['recording', f.recording], ['crmOverlay', f.crmOverlay]]
    .map(([k, v]) => '<span class="' + (v ? '' : 'off') + '">' + k + '</span>').join('') + '<span>' + esc(dr) + '</span>';
  $('caps').innerHTML = cfg.capabilities.map((c) => '<span>' + esc(c) + '</span>').join('');
  $('config').textContent = JSON.stringify(cfg, null, 2);
  for (const id of ['features', 'caps', 'config']) { $(id).classList.add('changed'); setTimeout(() => $(id).classList.remove('changed'), 50); }
  $('who').textContent = cfg.userId + ' @ ' + cfg.tenantId;
}

async function api(method, path, body) {
  const res = await fetch(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error((data && (data.detail || data.code)) || res.statusText);
  return data;
}

async function connect() {
  if (stopped || !token) return;
  setStatus('connecting…', 'off');
  let ticket;
  try { ticket = (await api('POST', '/v1/stream/tickets', {})).ticket; }
  catch (e) { $('error').textContent = e.message; if (/token|sign in/i.test(e.message)) return signOut(); return retry(); }
  const url = new URL('/v1/stream', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('ticket', ticket);
  if (last) url.searchParams.set('since', last.version); // D4: resume
  socket = new WebSocket(url);
  socket.onopen = () => { attempt = 0; setStatus('live', 'live'); };
  socket.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    const at = new Date().toLocaleTimeString();
    if (msg.type === 'config') {
      if (last && msg.version <= last.version) return; // D3: never go back
      const what = changes(last, msg.config);
      last = msg.config; render(last, what);
      logLine('<b>v' + msg.version + '</b> ' + at + ' · ' + esc(what.join(', ') || 'no visible change'));
    } else if (msg.type === 'uptodate') logLine('<b>v' + msg.version + '</b> ' + at + ' · up to date after reconnect');
    else if (msg.type === 'revoked') { logLine('<b>revoked</b> ' + at + ' · ' + esc(msg.reason)); stopped = true; setStatus('revoked: ' + msg.reason, 'off'); }
  };
  socket.onclose = () => { if (!stopped) { setStatus('reconnecting…', 'off'); retry(); } };
}

function retry() {
  // Exponential backoff with full jitter, capped at 30 s.
  const delay = Math.random() * Math.min(30000, 500 * 2 ** attempt++);
  setTimeout(connect, delay);
}

function start() {
  $('signin').hidden = true; $('current').hidden = false; $('log').hidden = false; stopped = false; connect();
  // Keep a browser-side liveness probe: the server answers {"type":"ping"} with pong.
  setInterval(() => { if (socket && socket.readyState === 1) socket.send('{"type":"ping"}'); }, 25000);
}

function signOut() {
  stopped = true; token = null; last = null; sessionStorage.removeItem('sb_app_token');
  if (socket) socket.close();
  $('signin').hidden = false; $('current').hidden = true; $('log').hidden = true; setStatus('signed out', 'off'); $('who').textContent = '';
}

$('login').onsubmit = async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  $('error').textContent = '';
  try {
    if (form.get('token')) token = String(form.get('token')).trim();
    else token = (await api('POST', '/v1/auth/login', { email: form.get('email'), password: form.get('password'), audience: 'app' })).token;
    sessionStorage.setItem('sb_app_token', token);
    start();
  } catch (e) { token = null; $('error').textContent = e.message; }
};
$('signout').onclick = () => { api('POST', '/v1/auth/logout', {}).catch(() => {}); signOut(); };
if (token) start();
</script>
</body>
</html>
`;
