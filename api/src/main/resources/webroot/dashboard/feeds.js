// The feeds card: every feed this node holds, in-browser verification of each, and a paged view
// of one feed's events.

import {el, fill, table, nodeId, hashId, credits, time} from './dom.js';
import {base64ToBytes, ed25519Support, verifyFeed} from './verify.js';

const PAGE = 25;          // events shown per page
const FETCH_LIMIT = 1000; // the API's largest page

export class FeedsView {

  constructor(getJson) {
    this.getJson = getJson;
    this.feeds = [];
    this.results = new Map(); // author -> {state, count, headSeq, text}
    this.open = null;         // {author, from} of the events being shown
    this.support = ed25519Support();
    document.getElementById('verify-all').addEventListener('click', () => this.verifyAll());
    this.support.then(s => {
      const note = document.getElementById('verify-support');
      note.textContent = s.ok
        ? 'Verification runs in this browser (WebCrypto Ed25519 and SHA-256) on the raw signed bytes; it trusts nothing the node says.'
        : 'Cannot verify here: ' + s.reason + '. Nothing on this page is claimed verified.';
      note.className = s.ok ? 'note' : 'note warn';
    });
  }

  render(feeds) {
    this.feeds = feeds;
    const rows = feeds.map(f => el('tr', {'data-author': f.author},
      el('td', {}, nodeId(f.author)),
      el('td', {class: 'num'}, f.head_seq),
      el('td', {}, hashId(f.head_id)),
      el('td', {}, this.statusCell(f)),
      el('td', {class: 'actions'},
        el('button', {type: 'button', 'data-action': 'verify', onclick: () => this.verify(f)}, 'Verify'),
        el('button', {type: 'button', 'data-action': 'events', onclick: () => this.show(f.author, null)}, 'Events'))));
    fill('feeds', table(['Author', '#Events', 'Head id', 'Verification', ''], rows, 'no feeds yet'));
    const shown = this.open && feeds.find(f => f.author === this.open.author);
    if (shown && this.open.from === null && shown.head_seq !== this.open.head) {
      this.loadEvents(); // following the newest events: show new ones as they arrive
    }
  }

  statusCell(f) {
    const r = this.results.get(f.author);
    if (!r) {
      return el('span', {class: 'verify', 'data-verify-state': 'unchecked'}, 'not checked');
    }
    let text = r.text;
    if (r.state === 'ok' && f.head_seq > r.headSeq) {
      text += ` (${f.head_seq - r.headSeq} newer not yet checked)`;
    }
    return el('span', {class: 'verify ' + r.state, 'data-verify-state': r.state, 'data-verified-count': r.count}, text);
  }

  setResult(author, result) {
    this.results.set(author, result);
    const f = this.feeds.find(x => x.author === author);
    const row = document.querySelector(`#feeds tr[data-author="${author}"] td:nth-child(4)`);
    if (f && row) {
      row.replaceChildren(this.statusCell(f));
    }
  }

  async verifyAll() {
    const button = document.getElementById('verify-all');
    button.disabled = true;
    try {
      // a fresh list, so that the check covers every feed up to its head at this moment
      this.render((await this.getJson('feeds')).feeds);
      await Promise.all(this.feeds.map(f => this.verify(f)));
    } finally {
      button.disabled = false;
    }
  }

  async verify(f) {
    const support = await this.support;
    if (!support.ok) {
      this.setResult(f.author, {state: 'unavailable', count: 0, headSeq: f.head_seq, text: 'cannot verify: ' + support.reason});
      return;
    }
    this.setResult(f.author, {state: 'running', count: 0, headSeq: f.head_seq, text: 'fetching events…'});
    try {
      const events = await this.fetchFeed(f.author, f.head_seq);
      const progress = n => n % 50 === 0 && this.setResult(f.author,
        {state: 'running', count: n, headSeq: f.head_seq, text: `checking ${n}/${events.length}…`});
      const r = await verifyFeed(f.author, events, {seq: f.head_seq, id: f.head_id}, progress);
      this.setResult(f.author, r.ok
        ? {state: 'ok', count: r.count, headSeq: f.head_seq, text: `✓ ${r.count} events verified`}
        : {state: 'failed', count: r.count, headSeq: f.head_seq,
          text: `✗ event ${r.failure.seq}: ${r.failure.reason}` + (r.count > 0 ? ` (events 1-${r.count} verified)` : '')});
    } catch (e) {
      this.setResult(f.author, {state: 'failed', count: 0, headSeq: f.head_seq, text: '✗ could not check: ' + e.message});
    }
  }

  // Every event from seq 1 to the head, as bytes plus the JSON claims to compare them with.
  async fetchFeed(author, headSeq) {
    const events = [];
    while (events.length < headSeq) {
      const from = events.length + 1;
      const limit = Math.min(FETCH_LIMIT, headSeq - events.length);
      const page = (await this.getJson(`feeds/${author}/events?from=${from}&limit=${limit}`)).events;
      if (page.length === 0) {
        break;
      }
      for (const e of page) {
        events.push({
          id: e.id, seq: e.seq, author: e.author, prev: e.prev, timestamp_ms: e.timestamp_ms,
          signature: e.signature, payload: base64ToBytes(e.payload), signed_event: base64ToBytes(e.signed_event),
        });
      }
    }
    return events;
  }

  /** Shows one feed's events from seq `from` on, or its newest page when from is null. */
  show(author, from) {
    this.open = {author, from};
    this.loadEvents();
  }

  async loadEvents() {
    const {author, from} = this.open;
    const f = this.feeds.find(x => x.author === author);
    const head = f ? f.head_seq : 0;
    this.open.head = head;
    const start = from === null ? Math.max(1, head - PAGE + 1) : from;
    let events = [];
    try {
      events = (await this.getJson(`feeds/${author}/events?from=${start}&limit=${PAGE}`)).events;
    } catch (e) {
      fill('events', el('p', {class: 'error'}, e.message));
      return;
    }
    if (!this.open || this.open.author !== author || this.open.from !== from) {
      return; // another feed was chosen meanwhile
    }
    const last = start + events.length - 1;
    const pager = el('div', {class: 'pager'},
      el('span', {}, 'Feed of ', nodeId(author), ` — events ${events.length ? start : 0}-${events.length ? last : 0} of ${head}`),
      el('button', {type: 'button', disabled: start <= 1, onclick: () => this.show(author, Math.max(1, start - PAGE))}, '← older'),
      el('button', {type: 'button', disabled: last >= head, onclick: () => this.show(author, last + 1 > head - PAGE + 1 ? null : last + 1)}, 'newer →'),
      el('button', {type: 'button', onclick: () => { this.open = null; fill('events'); }}, 'close'));
    const rows = events.slice().reverse().map(e => el('tr', {},
      el('td', {class: 'num'}, e.seq),
      el('td', {class: 'nowrap'}, time(e.timestamp_ms)),
      el('td', {}, el('span', {class: 'kind ' + e.kind}, e.kind.replaceAll('_', ' '))),
      el('td', {}, el('details', {}, el('summary', {}, summary(e)), el('pre', {}, JSON.stringify(e.body, null, 2)))),
      el('td', {}, hashId(e.id))));
    fill('events', pager, table(['#Seq', 'Time', 'Kind', 'Summary (click for the body)', 'Id'], rows, 'no events'));
  }
}

function summary(e) {
  const b = e.body;
  switch (e.kind) {
    case 'capabilities_announced':
      return [b.gpu === 'simulated' ? el('span', {class: 'tag sim'}, 'simulated') : (b.gpu || 'no GPU named'),
        ' · ', (b.models || []).map(m => m.name).join(', ') || 'no models', b.address ? ' · ' + b.address : ''];
    case 'service_proposed':
      return ['served ', el('b', {}, b.model), ' (', b.stage, ') to ', nodeId(b.requester), ' · ',
        b.prompt_tokens + b.completion_tokens, ' tokens · ', credits(b.credits_milli), ' credits'];
    case 'service_acknowledged':
      return ['acknowledged service by ', nodeId(b.server), ' (its seq ', b.proposal_seq, ')'];
    case 'rating':
      return ['council ', hashId(b.council_id), ' ranked ', (b.members || []).length, ' members'];
    case 'equivocation_observed':
      return [el('span', {class: 'tag bad'}, 'fork'), ' ', nodeId(b.accused), ' signed two events at seq ', b.seq];
    default:
      return 'a body of a kind this dashboard does not know';
  }
}
