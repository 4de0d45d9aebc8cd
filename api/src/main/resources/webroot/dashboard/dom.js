// Small DOM helpers. Every value from the API is inserted as text, never as HTML: feeds and
// capabilities come from other nodes and are not trusted.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else {
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
}

/** Replaces the children of the element with the given id. */
export function fill(id, ...children) {
  const target = document.getElementById(id);
  target.replaceChildren();
  append(target, children);
  return target;
}

/**
 * A table with a header row; a header starting with '#' heads a numeric (right-aligned) column.
 * No rows shows one muted row with the text.
 */
export function table(headers, rows, empty) {
  const head = el('thead', {}, el('tr', {}, headers.map(h => h.startsWith('#')
    ? el('th', {class: 'num'}, h.slice(1)) : el('th', {}, h))));
  const body = rows.length > 0 ? rows
    : [el('tr', {class: 'empty'}, el('td', {colspan: headers.length}, empty))];
  return el('table', {}, head, el('tbody', {}, body));
}

let selfId = null;

/** Tells the helpers which id is this node's, so it is marked "this node" everywhere. */
export function setSelf(id) {
  selfId = id;
}

/** A node id: its first 8 hex characters, the whole id on hover and in data-id. */
export function nodeId(id) {
  if (!id) {
    return el('span', {class: 'muted'}, '—');
  }
  return el('span', {class: 'node'},
    el('code', {class: 'id', title: id, 'data-id': id}, id.slice(0, 8)),
    id === selfId ? el('span', {class: 'tag self'}, 'this node') : null);
}

/** An event or council id, shortened, whole on hover. */
export function hashId(hex) {
  return hex ? el('code', {class: 'id', title: hex}, hex.slice(0, 10)) : el('span', {class: 'muted'}, '—');
}

/** Credits are counted in thousandths. */
export function credits(milli) {
  const v = (Number(milli) / 1000).toFixed(3);
  return el('span', {class: 'num' + (milli < 0 ? ' negative' : '')}, v);
}

export function decimal(x, digits = 3) {
  return el('span', {class: 'num'}, Number(x).toFixed(digits));
}

export function time(ms) {
  const d = new Date(Number(ms));
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function duration(ms) {
  ms = Number(ms);
  if (ms < 1000) {
    return ms + ' ms';
  }
  return ms < 60000 ? (ms / 1000).toFixed(1) + ' s' : Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}
