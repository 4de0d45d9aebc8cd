// Re-checks ledger feeds in the browser from their signed bytes alone (docs/ledger-format.md):
// the envelope's one canonical form, the Ed25519 signature over the domain prefix + payload,
// id = SHA-256(signed_event), and the seq/prev chain of each feed. Nothing the server says about
// an event is trusted; its JSON fields are only compared with what the bytes say.

const DOMAIN = new TextEncoder().encode('council/ledger/event/v1\u0000');
const SIGNATURE_BYTES = 64;
const KEY_BYTES = 32;
const ID_BYTES = 32;

// RFC 8032 section 7.1, test 1: proves that this browser's Ed25519 really verifies.
const RFC8032_KEY = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC8032_SIG = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

/** A verification failure: a reason a person can read. */
export class VerifyError extends Error {}

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) {
    throw new VerifyError('not hex: ' + String(hex).slice(0, 20));
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.substr(i * 2, 2), 16);
  }
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) {
    out[i] = bin.charCodeAt(i);
  }
  return out;
}

function equal(a, b) {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** Reads an unsigned LEB128 varint (up to 64 bits) at pos: {value: BigInt, next, minimal}. */
function readVarint(bytes, pos) {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= bytes.length) {
      throw new VerifyError('truncated varint');
    }
    const b = bytes[pos + i];
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) {
      // minimal: no trailing zero group, except the one-byte encoding of 0
      return {value, next: pos + i + 1, minimal: i === 0 || b !== 0};
    }
  }
  throw new VerifyError('varint longer than 10 bytes');
}

/** The signing input: the domain prefix followed by the payload bytes. */
export function signingInput(payload) {
  const out = new Uint8Array(DOMAIN.length + payload.length);
  out.set(DOMAIN, 0);
  out.set(payload, DOMAIN.length);
  return out;
}

/** Splits signed_event = 0x0a varint(len) payload 0x12 0x40 signature, in exactly that form. */
export function parseSignedEvent(bytes) {
  if (bytes.length < 2 || bytes[0] !== 0x0a) {
    throw new VerifyError('malformed envelope: does not start with the payload field');
  }
  const len = readVarint(bytes, 1);
  if (!len.minimal) {
    throw new VerifyError('malformed envelope: non-minimal length');
  }
  const end = len.next + Number(len.value);
  if (end + 2 + SIGNATURE_BYTES !== bytes.length || bytes[end] !== 0x12 || bytes[end + 1] !== SIGNATURE_BYTES) {
    throw new VerifyError('malformed envelope: not payload then a 64-byte signature and nothing else');
  }
  return {payload: bytes.subarray(len.next, end), signature: bytes.subarray(end + 2)};
}

/** Reads the feed fields of a payload: author (1), seq (2), prev (3), timestamp_ms (4). */
export function parsePayload(payload) {
  const fields = new Map();
  let pos = 0;
  let last = 0;
  while (pos < payload.length) {
    const tag = readVarint(payload, pos);
    const field = Number(tag.value >> 3n);
    const wire = Number(tag.value & 7n);
    pos = tag.next;
    if (field <= last) {
      throw new VerifyError('malformed payload: field ' + field + ' out of order');
    }
    last = field;
    let value;
    if (wire === 0) {
      const v = readVarint(payload, pos);
      value = v.value;
      pos = v.next;
    } else if (wire === 2) {
      const n = readVarint(payload, pos);
      const end = n.next + Number(n.value);
      if (end > payload.length) {
        throw new VerifyError('malformed payload: field ' + field + ' runs past the end');
      }
      value = payload.subarray(n.next, end);
      pos = end;
    } else {
      throw new VerifyError('malformed payload: wire type ' + wire + ' in field ' + field);
    }
    fields.set(field, {wire, value});
  }
  const author = fields.get(1);
  const seq = fields.get(2);
  const prev = fields.get(3);
  const ts = fields.get(4);
  if (!author || author.wire !== 2 || author.value.length !== KEY_BYTES) {
    throw new VerifyError('malformed payload: no 32-byte author');
  }
  if (!seq || seq.wire !== 0 || seq.value < 1n) {
    throw new VerifyError('malformed payload: no seq >= 1');
  }
  if (prev && (prev.wire !== 2 || prev.value.length !== ID_BYTES)) {
    throw new VerifyError('malformed payload: prev is not 32 bytes');
  }
  return {
    author: author.value,
    seq: seq.value,
    prev: prev ? prev.value : null,
    timestampMs: ts && ts.wire === 0 ? ts.value : 0n,
  };
}

/**
 * Whether this browser can verify Ed25519 with WebCrypto: {ok, reason}. It checks a known-answer
 * signature, so "ok" means verification works, not merely that the name is recognised.
 */
export async function ed25519Support() {
  if (!globalThis.crypto || !globalThis.crypto.subtle) {
    return {ok: false, reason: 'WebCrypto is not available here (it needs a secure context: open the dashboard via localhost or HTTPS)'};
  }
  try {
    const key = await crypto.subtle.importKey('raw', hexToBytes(RFC8032_KEY), {name: 'Ed25519'}, false, ['verify']);
    const ok = await crypto.subtle.verify({name: 'Ed25519'}, key, hexToBytes(RFC8032_SIG), new Uint8Array(0));
    return ok ? {ok: true, reason: ''} : {ok: false, reason: 'this browser\'s Ed25519 fails the RFC 8032 test vector'};
  } catch (e) {
    return {ok: false, reason: 'this browser\'s WebCrypto has no Ed25519 (' + e.name + ')'};
  }
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/**
 * Verifies one feed's events, which must be given from seq 1 in order. Each event is
 * {signed_event: Uint8Array, id: hex} plus optional claimed JSON fields (seq, prev, author,
 * payload, signature) that are compared with the bytes. Stops at the first failure.
 *
 * @param authorHex the feed's author (its node id)
 * @param events the events from seq 1
 * @param head optional {seq, id} the server reported for the feed head
 * @param onProgress optional callback(doneCount)
 * @returns {ok, count, failure?: {seq, id, reason}}
 */
export async function verifyFeed(authorHex, events, head, onProgress) {
  let key;
  try {
    key = await crypto.subtle.importKey('raw', hexToBytes(authorHex), {name: 'Ed25519'}, false, ['verify']);
  } catch (e) {
    return {ok: false, count: 0, failure: {seq: 1, id: '', reason: 'the author is not a valid Ed25519 key (' + e.name + ')'}};
  }
  const author = hexToBytes(authorHex);
  let prevId = null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    try {
      prevId = await verifyEvent(key, author, BigInt(i + 1), prevId, e);
    } catch (err) {
      if (!(err instanceof VerifyError)) {
        throw err;
      }
      return {ok: false, count: i, failure: {seq: i + 1, id: e.id || '', reason: err.message}};
    }
    if (onProgress) {
      onProgress(i + 1);
    }
  }
  if (head && head.seq !== events.length) {
    return {ok: false, count: events.length, failure: {seq: events.length + 1, id: '',
      reason: 'the feed head is seq ' + head.seq + ' but ' + events.length + ' events were served'}};
  }
  if (head && head.id && events.length > 0 && head.id !== bytesToHex(prevId)) {
    return {ok: false, count: events.length, failure: {seq: events.length, id: head.id,
      reason: 'the head id the server reports is not the id of the last event'}};
  }
  return {ok: true, count: events.length};
}

// Returns the event's id as computed from its bytes; throws VerifyError with the reason.
async function verifyEvent(key, author, expectedSeq, prevId, e) {
  const bytes = e.signed_event;
  const {payload, signature} = parseSignedEvent(bytes);
  const p = parsePayload(payload);
  if (!equal(p.author, author)) {
    throw new VerifyError('signed by author ' + bytesToHex(p.author).slice(0, 8) + ', not this feed\'s author');
  }
  if (p.seq !== expectedSeq) {
    throw new VerifyError('sequence broken: expected seq ' + expectedSeq + ', the bytes say ' + p.seq);
  }
  if (prevId === null ? p.prev !== null : (p.prev === null || !equal(p.prev, prevId))) {
    throw new VerifyError(prevId === null ? 'seq 1 must have no prev' : 'prev link broken: prev is not the id of seq ' + (expectedSeq - 1n));
  }
  if (!await crypto.subtle.verify({name: 'Ed25519'}, key, signature, signingInput(payload))) {
    throw new VerifyError('bad signature');
  }
  const id = await sha256(bytes);
  if (e.id !== undefined && e.id !== bytesToHex(id)) {
    throw new VerifyError('id mismatch: the server says ' + String(e.id).slice(0, 8) + ', SHA-256 of the bytes is ' + bytesToHex(id).slice(0, 8));
  }
  checkClaims(e, p, payload, signature);
  return id;
}

// The JSON beside the bytes must say what the bytes say, or the page would display lies.
function checkClaims(e, p, payload, signature) {
  const differs = [];
  if (e.seq !== undefined && BigInt(e.seq) !== p.seq) {
    differs.push('seq');
  }
  if (e.author !== undefined && e.author !== bytesToHex(p.author)) {
    differs.push('author');
  }
  if (e.prev !== undefined && (e.prev || null) !== (p.prev ? bytesToHex(p.prev) : null)) {
    differs.push('prev');
  }
  if (e.timestamp_ms !== undefined && BigInt(e.timestamp_ms) !== p.timestampMs) {
    differs.push('timestamp_ms');
  }
  if (e.payload !== undefined && !equal(e.payload, payload)) {
    differs.push('payload');
  }
  if (e.signature !== undefined && e.signature !== bytesToHex(signature)) {
    differs.push('signature');
  }
  if (differs.length > 0) {
    throw new VerifyError('the JSON disagrees with the signed bytes on ' + differs.join(', '));
  }
}
