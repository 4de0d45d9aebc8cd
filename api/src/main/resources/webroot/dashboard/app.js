// The node's dashboard: reads the public JSON API of the node that serves it (same origin) and
// re-reads it every few seconds. No framework, no build step, nothing loaded from elsewhere.

import {el, fill, table, setSelf, nodeId, hashId, credits, decimal, time, duration} from './dom.js';
import {FeedsView} from './feeds.js';

const API = '/api/v1/';
const REFRESH_MS = 4000;

async function getJson(path) {
  const r = await fetch(API + path, {cache: 'no-store'});
  if (!r.ok) {
    let message = '';
    try {
      message = (await r.json()).error.message;
    } catch (ignored) {
      // not our JSON error: the status says enough
    }
    throw new Error(`${path}: HTTP ${r.status} ${message}`);
  }
  return r.json();
}

const feeds = new FeedsView(getJson);

function renderNode(node, caps) {
  setSelf(node.id);
  document.getElementById('node-id').textContent = node.id;
  document.getElementById('node-version').textContent = 'version ' + node.version;
  document.getElementById('node-peers').textContent = node.peers + (node.peers === 1 ? ' peer' : ' peers');
  document.title = 'Council · ' + node.id.slice(0, 8);
  const own = caps.find(c => c.node === node.id);
  const simulated = own !== undefined && own.gpu === 'simulated';
  document.getElementById('sim-banner').hidden = !simulated;
  document.getElementById('sim-badge').hidden = !simulated;
}

function renderAccounts(accounts, ranking) {
  const rank = new Map(ranking.map(r => [r.id, r]));
  const rows = accounts.slice()
    .sort((a, b) => b.karma - a.karma || b.balance_milli - a.balance_milli)
    .map(a => {
      const r = rank.get(a.id);
      return el('tr', {'data-account': a.id},
        el('td', {}, nodeId(a.id), a.equivocator ? el('span', {class: 'tag bad'}, 'equivocator') : null),
        el('td', {class: 'num'}, credits(a.balance_milli)),
        el('td', {class: 'num'}, credits(a.earned_milli)),
        el('td', {class: 'num'}, credits(a.spent_milli)),
        el('td', {class: 'num'}, credits(a.pending_earned_milli)),
        el('td', {class: 'num'}, a.served_jobs, ' / ', a.requested_jobs),
        el('td', {class: 'num'}, decimal(a.karma)),
        el('td', {class: 'num'}, r ? '#' + r.rank : '—'));
    });
  fill('accounts', table(['Node', '#Balance', '#Earned', '#Spent', '#Pending', '#Served / asked', '#Karma', '#Rank'],
    rows, 'no accounts yet: no service has been recorded'));
}

function renderPeers(peers) {
  const rows = peers.map(p => el('tr', {'data-peer': p.id},
    el('td', {}, nodeId(p.id)), el('td', {}, el('code', {}, p.address || '—')), el('td', {class: 'num'}, decimal(p.karma))));
  fill('peers', table(['Peer', 'Address', '#Karma'], rows, 'no peers connected'));
}

function renderQueue(q) {
  const stat = (label, value) => el('div', {class: 'stat'}, el('div', {class: 'value'}, value), el('div', {class: 'label'}, label));
  const backends = q.backends.map(b => el('tr', {},
    el('td', {}, b.name), el('td', {class: 'num'}, `${b.running} / ${b.max_concurrency}`),
    el('td', {}, (b.models || []).join(', '))));
  const waiting = q.requesters.map(r => el('tr', {}, el('td', {}, r.requester.length === 64 ? nodeId(r.requester) : r.requester),
    el('td', {class: 'num'}, r.waiting)));
  fill('queue',
    el('div', {class: 'stats'},
      stat('waiting', `${q.waiting} / ${q.max_waiting}`), stat('running', q.running),
      stat('estimated wait', duration(q.estimated_wait_ms))),
    table(['Backend', '#Running', 'Models'], backends, 'no backends'),
    waiting.length > 0 ? table(['Requester', '#Waiting'], waiting, '') : null);
}

function renderCapabilities(caps) {
  const rows = caps.map(c => el('tr', {'data-node': c.node},
    el('td', {}, nodeId(c.node)),
    el('td', {}, c.gpu === 'simulated' ? el('span', {class: 'tag sim'}, 'simulated') : (c.gpu || el('span', {class: 'muted'}, 'not named'))),
    el('td', {}, (c.models || []).map(m => el('span', {class: 'model', title: `${m.parameters_millions} M parameters ${m.quantization}`}, m.name))),
    el('td', {class: 'num'}, c.concurrency),
    el('td', {}, el('code', {}, c.address || '—'))));
  fill('capabilities', table(['Node', 'GPU', 'Models', '#Parallel', 'Address'], rows, 'no capabilities announced'));
}

function renderCouncils(councils) {
  const rows = councils.map(c => el('tr', {'data-council': c.council_id},
    el('td', {class: 'nowrap'}, time(c.started_ms)),
    el('td', {}, hashId(c.council_id)),
    el('td', {class: 'num'}, el('span', {class: c.stages_completed === 3 ? 'ok' : 'warn'}, `${c.stages_completed}/3`)),
    el('td', {class: 'num'}, duration(c.duration_ms)),
    el('td', {}, c.members.map(m => el('div', {class: 'member'}, nodeId(m.node), ' ', el('span', {class: 'model'}, m.model),
      m.mean_rank > 0 ? el('span', {class: 'muted'}, ' rank ' + Number(m.mean_rank).toFixed(2)) : null))),
    el('td', {}, nodeId(c.chairman)),
    el('td', {class: 'num'}, c.failures)));
  fill('councils', table(['Started', 'Council', '#Stages', '#Took', 'Members (model, mean rank)', 'Chairman', '#Failures'],
    rows, 'no council has been asked from this node yet'));
}

function renderEquivocations(list) {
  const rows = list.map(p => el('tr', {},
    el('td', {}, nodeId(p.accused)), el('td', {class: 'num'}, p.seq), el('td', {}, hashId(p.first_id)), el('td', {}, hashId(p.second_id))));
  fill('equivocations', table(['Accused', '#Seq', 'First event', 'Second event'], rows,
    'none: no node has been caught signing two different events at one seq'));
}

async function refresh() {
  const paths = ['node', 'capabilities', 'accounts', 'reputation', 'peers', 'queue', 'councils?limit=20', 'equivocations', 'feeds'];
  const got = await Promise.allSettled(paths.map(getJson));
  const ok = i => got[i].status === 'fulfilled';
  const v = i => got[i].value;
  const errors = got.filter(g => g.status === 'rejected').map(g => g.reason.message);
  if (ok(0) && ok(1)) {
    renderNode(v(0), v(1).capabilities);
    renderCapabilities(v(1).capabilities);
  }
  if (ok(2) && ok(3)) {
    renderAccounts(v(2).accounts, v(3).ranking);
  }
  if (ok(4)) {
    renderPeers(v(4).peers);
  }
  if (ok(5)) {
    renderQueue(v(5));
  }
  if (ok(6)) {
    renderCouncils(v(6).councils);
  }
  if (ok(7)) {
    renderEquivocations(v(7).equivocations);
  }
  if (ok(8)) {
    feeds.render(v(8).feeds);
  }
  const status = document.getElementById('status');
  status.textContent = errors.length === 0 ? 'updated ' + time(Date.now()).slice(11)
    : 'cannot reach the node (' + errors[0] + '); retrying';
  status.className = errors.length === 0 ? 'status' : 'status error';
  document.body.dataset.loaded = 'true';
}

async function loop() {
  try {
    await refresh();
  } catch (e) {
    document.getElementById('status').textContent = 'error: ' + e.message;
  }
  setTimeout(loop, REFRESH_MS);
}

loop();
