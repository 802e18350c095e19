// The daemon's web page: plain ES modules, no bundler. Every request goes to the daemon that served
// the page; over loopback TCP each carries the token (docs/api.md, "The web page").
import { Terminal } from './vendor/xterm/lib/xterm.mjs';
import RFB from './vendor/novnc/core/rfb.js';

const token = takeToken();
const vms = new Map();          // name -> the row of GET /vms, plus what the page knows since
let vncVms = new Set();         // VMs whose file has vnc:
let pending = new Map();        // name -> "stopping…" / "starting…" while a button's request runs

// The token comes in the URL fragment (#token=…), which the browser never sends to any server; it is
// kept in this tab's sessionStorage (scoped to this origin, port included) and removed from the URL
// and history at once. A cookie would not do: cookies are not scoped by port, so every other server
// on 127.0.0.1 would receive it.
function takeToken() {
  const m = location.hash.match(/(?:^#|&)token=([0-9a-f]+)/);
  if (m) {
    sessionStorage.setItem('qemu-compose-token', m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('qemu-compose-token');
}

function authHeaders(extra = {}) {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

// Browsers cannot set headers on a WebSocket: the token travels as a subprotocol (the daemon answers
// with "qemu-compose" only, so the token is never echoed).
function wsProtocols() {
  return token ? ['qemu-compose', `bearer.${token}`] : ['qemu-compose'];
}

function wsUrl(path) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}

async function api(method, path) {
  const response = await fetch(path, { method, headers: authHeaders({ Accept: 'application/json' }) });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  if (!response.ok) {
    const detail = body && typeof body === 'object' ? (body.detail || body.title || JSON.stringify(body)) : text;
    throw new Error(`${method} ${path}: ${response.status} ${detail}`);
  }
  return body;
}

function showError(e) {
  const p = document.getElementById('error');
  p.textContent = e ? String(e.message || e) : '';
  p.hidden = !e;
}

// --- the VM table

function render() {
  const body = document.querySelector('#vms tbody');
  body.replaceChildren();
  for (const [name, vm] of vms) {
    const tr = document.createElement('tr');
    tr.dataset.vm = name;
    const state = pending.get(name) || vm.status;
    tr.append(cell(name), cell(state, 'state', vm.status), cell(vm.cpu ?? ''),
        cell(vm.memory_mb != null ? `${vm.memory_mb} MiB` : ''), cell(vm.ip_address || ''),
        cell(vm.ssh_port ? `127.0.0.1:${vm.ssh_port}` : ''));
    const actions = document.createElement('td');
    const running = !['stopped', 'not-created', 'suspended', 'failed'].includes(vm.status);
    actions.append(
        button('Start', () => act(name, 'start', 'starting…'), running || pending.has(name)),
        button('Stop', () => act(name, 'stop', 'stopping…'), !running || pending.has(name)),
        button('Console', () => openConsole(name), !running));
    if (vncVms.has(name)) {
      actions.append(button('Display', () => openDisplay(name), !running));
    }
    tr.append(actions);
    body.append(tr);
  }
}

function cell(text, cls, state) {
  const td = document.createElement('td');
  td.textContent = String(text);
  if (cls) { td.className = cls; td.dataset.state = state; }
  return td;
}

function button(label, onClick, disabled) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

async function act(name, verb, label) {
  pending.set(name, label);
  render();
  try {
    await api('POST', `/vms/${encodeURIComponent(name)}/${verb}`);
    showError(null);
  } catch (e) {
    showError(e);
  } finally {
    pending.delete(name);
    refreshVms();
    refreshPlan();
  }
}

// One GET /vms at a time; a request while one runs asks for one more afterwards. "ready" is a probe
// (SSH and cloud-init), not an event, so while a VM boots the page asks again every few seconds.
let loading = null;
let again = false;
function refreshVms() {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    try {
      const rows = await api('GET', '/vms');
      const seen = new Set();
      for (const row of rows) { vms.set(row.name, row); seen.add(row.name); }
      for (const name of [...vms.keys()]) if (!seen.has(name)) vms.delete(name);
      render();
    } catch (e) {
      showError(e);
    } finally {
      loading = null;
      if (again) { again = false; refreshVms(); }
    }
  })();
  return loading;
}

// No polling: readiness and health changes arrive on the event stream ("status" events).

// --- the plan

async function refreshPlan() {
  const pre = document.getElementById('plan');
  try {
    const plan = await api('GET', '/project/plan');
    const symbol = { create: '+', destroy: '-', replace: '-/+', orphan: '-' };
    const lines = plan.changes.map(c => {
      const head = `${symbol[c.action] || '~'} ${c.address} ${c.action}${c.reason ? ` (${c.reason})` : ''}`;
      const fields = (c.fields || []).map(f => `      ${f.field}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)} (${f.effect})`);
      return [head, ...fields].join('\n');
    });
    const s = plan.summary || {};
    lines.push(lines.length ? `Plan: ${s.add ?? 0} to add, ${s.change ?? 0} to change, ${s.destroy ?? 0} to destroy.`
        : 'No changes. The machine matches the file.');
    pre.textContent = lines.join('\n');
  } catch (e) {
    pre.textContent = String(e.message || e);
  }
}

async function apply() {
  const b = document.getElementById('apply');
  b.disabled = true;
  try {
    await api('POST', '/project/apply');
    showError(null);
  } catch (e) {
    showError(e);
  } finally {
    b.disabled = false;
    refreshPlan();
    refreshVms();
  }
}

// --- the event stream: fetch rather than EventSource, which cannot send the Authorization header

async function followEvents() {
  const badge = document.getElementById('stream');
  for (;;) {
    try {
      const response = await fetch('/events', { headers: authHeaders({ Accept: 'text/event-stream' }) });
      if (!response.ok) throw new Error(`GET /events: ${response.status}`);
      badge.textContent = 'live';
      badge.classList.add('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
          if (data) onEvent(JSON.parse(data));
        }
      }
    } catch (e) {
      // the daemon restarted or the network blinked: try again below
    }
    badge.textContent = 'reconnecting…';
    badge.classList.remove('live');
    await new Promise(r => setTimeout(r, 2000));
  }
}

function onEvent(event) {
  const li = document.createElement('li');
  const what = event.type === 'reconciler' ? event.attributes.line : `${event.vm} ${event.action}`;
  li.textContent = `${event.time.slice(11, 23)} ${event.type} ${what}`;
  const list = document.getElementById('events');
  list.prepend(li);
  while (list.children.length > 200) list.lastChild.remove();
  if (event.type === 'unit' && vms.has(event.vm)) {
    // what the unit says is known at once; readiness follows as a "status" event
    const vm = vms.get(event.vm);
    if (event.action === 'inactive' || event.action === 'failed') vm.status = event.action === 'failed' ? 'failed' : 'stopped';
    else if (event.action === 'active' && vm.status !== 'ready') vm.status = 'starting';
    render();
  }
  if (event.type === 'status' && vms.has(event.vm)) {
    // the daemon's readiness/health probe saw a change: show it, then fetch the row (IP, health)
    const vm = vms.get(event.vm);
    vm.status = event.action;
    if (event.attributes.health) vm.health = event.attributes.health;
    render();
    refreshVms();
  }
  if (event.type === 'unit' || event.type === 'reconciler') {
    refreshVms();
    refreshPlan();
  }
}

// --- the serial console: xterm.js over /vms/{vm}/console

let terminal = null;
let consoleSocket = null;

function openConsole(name) {
  closeConsole();
  document.getElementById('console-panel').hidden = false;
  document.getElementById('console-vm').textContent = name;
  terminal = new Terminal({ cols: 100, rows: 24, convertEol: false, fontSize: 13 });
  terminal.open(document.getElementById('terminal'));
  const ws = new WebSocket(wsUrl(`/vms/${encodeURIComponent(name)}/console`), wsProtocols());
  ws.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  ws.onopen = () => terminal.focus();
  ws.onmessage = m => terminal.write(typeof m.data === 'string' ? m.data : new Uint8Array(m.data));
  ws.onclose = e => terminal && terminal.write(`\r\n[console closed${e.reason ? `: ${e.reason}` : ''}]\r\n`);
  terminal.onData(data => ws.readyState === WebSocket.OPEN && ws.send(encoder.encode(data)));
  consoleSocket = ws;
}

function closeConsole() {
  if (consoleSocket) { consoleSocket.onclose = null; consoleSocket.close(); consoleSocket = null; }
  if (terminal) { terminal.dispose(); terminal = null; }
  document.getElementById('console-panel').hidden = true;
}

// --- the VNC display: noVNC over /vms/{vm}/vnc

let rfb = null;

function openDisplay(name) {
  closeDisplay();
  document.getElementById('vnc-panel').hidden = false;
  document.getElementById('vnc-vm').textContent = name;
  const status = document.getElementById('vnc-status');
  status.textContent = 'connecting…';
  rfb = new RFB(document.getElementById('screen'), wsUrl(`/vms/${encodeURIComponent(name)}/vnc`),
      { wsProtocols: wsProtocols() });
  rfb.scaleViewport = true;
  rfb.addEventListener('connect', () => { status.textContent = 'connected'; });
  rfb.addEventListener('disconnect', e => { status.textContent = e.detail.clean ? 'disconnected' : 'connection lost'; });
  rfb.addEventListener('securityfailure', e => { status.textContent = `refused: ${e.detail.reason || 'wrong password'}`; });
  rfb.addEventListener('credentialsrequired', () => {
    const form = document.getElementById('vnc-login');
    form.hidden = false;
    status.textContent = 'the display wants its password';
    document.getElementById('vnc-password').focus();
  });
}

function closeDisplay() {
  if (rfb) { rfb.disconnect(); rfb = null; }
  document.getElementById('vnc-login').hidden = true;
  document.getElementById('vnc-panel').hidden = true;
  document.getElementById('screen').replaceChildren();
}

// --- start

document.getElementById('apply').addEventListener('click', apply);
document.getElementById('refresh-plan').addEventListener('click', refreshPlan);
document.getElementById('console-close').addEventListener('click', closeConsole);
document.getElementById('vnc-close').addEventListener('click', closeDisplay);
document.getElementById('vnc-login').addEventListener('submit', e => {
  e.preventDefault();
  const input = document.getElementById('vnc-password');
  if (rfb) rfb.sendCredentials({ password: input.value });
  input.value = '';
  document.getElementById('vnc-login').hidden = true;
});

(async () => {
  try {
    const project = await api('GET', '/project');
    document.getElementById('project').textContent = project.name || '';
    document.title = `qemu-compose ${project.name || ''}`;
    vncVms = new Set(Object.entries(project.vms || {}).filter(([, vm]) => vm.vnc).map(([name]) => name));
  } catch (e) {
    showError(e);
  }
  followEvents();
  refreshVms();
  refreshPlan();
})();
