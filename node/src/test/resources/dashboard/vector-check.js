// Evaluated in the dashboard's page by DashboardIT: runs the dashboard's own verifier (verify.js)
// on docs/test-vectors/events.json, as is and tampered with. An async function of the vectors.
async (vectors) => {
  const v = await import('/dashboard/verify.js');
  const bytes = hex => v.hexToBytes(hex);
  const event = i => ({signed_event: bytes(vectors[i].signed_event), id: vectors[i].id});
  const flipped = (e, offset) => {
    const b = e.signed_event.slice();
    b[offset < 0 ? b.length + offset : offset] ^= 0x01;
    return {signed_event: b, id: e.id};
  };
  const reason = async (author, events) => {
    const r = await v.verifyFeed(author, events);
    return r.ok ? 'verified' : `event ${r.failure.seq}: ${r.failure.reason}`;
  };
  const first = vectors[0].author_public_key;   // vectors 1, 2, 4: seqs 1-3 of one feed
  const second = vectors[2].author_public_key;  // vectors 3, 5: seqs 1-2 of another

  const out = {support: await v.ed25519Support(), bytes: []};
  for (const x of vectors) {
    const e = v.parseSignedEvent(bytes(x.signed_event));
    out.bytes.push({
      signingInput: v.bytesToHex(v.signingInput(e.payload)) === x.signing_input,
      payload: v.bytesToHex(e.payload) === x.payload,
      signature: v.bytesToHex(e.signature) === x.signature,
    });
  }
  out.firstFeed = await v.verifyFeed(first, [event(0), event(1), event(3)]);
  out.secondFeed = await v.verifyFeed(second, [event(2), event(4)]);

  // the payload of vector 2 starts after 0x0a and its two-byte length; prev is at payload offset 38
  const payloadStart = 3;
  out.tampered = {
    signature: await reason(first, [event(0), flipped(event(1), -1)]),
    payload: await reason(first, [event(0), flipped(event(1), -70)]),
    prev: await reason(first, [event(0), flipped(event(1), payloadStart + 38)]),
    gap: await reason(first, [event(0), event(3)]),
    order: await reason(first, [event(1), event(0)]),
    otherAuthor: await reason(second, [event(0)]),
    id: await reason(first, [{signed_event: event(0).signed_event, id: vectors[1].id}]),
    truncated: await reason(first, [{signed_event: event(0).signed_event.slice(0, -1), id: vectors[0].id}]),
    head: await v.verifyFeed(first, [event(0), event(1)], {seq: 3, id: vectors[3].id}).then(r => r.ok ? 'verified' : r.failure.reason),
  };
  return out;
}
