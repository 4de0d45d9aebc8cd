#!/usr/bin/env python3
"""Independent verifier for the Council ledger test vectors.

Written from docs/ledger-format.md alone (no Java or .proto source of the project was read).
Standard library only; Ed25519 verification is implemented here from RFC 8032 (5.1.3 point
decoding, 5.1.7 verification, the section 6 reference structure with extended coordinates).

Usage: verify_ledger_vectors.py [events.json]   (default: <repo>/docs/test-vectors/events.json)
Exit 0 if every vector passes, 1 if any fails, 2 if the file is missing or unreadable.
"""
import hashlib, json, os, sys

# ---------------------------------------------------------------- Ed25519 (RFC 8032)
P = 2 ** 255 - 19
L = 2 ** 252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
IDENT = (0, 1, 1, 0)


def padd(p, q):  # extended twisted Edwards coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z
    a = (p[1] - p[0]) * (q[1] - q[0]) % P
    b = (p[1] + p[0]) * (q[1] + q[0]) % P
    c = 2 * p[3] * q[3] * D % P
    d = 2 * p[2] * q[2] % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def pmul(s, p):
    q = IDENT
    while s > 0:
        q, p, s = (padd(q, p) if s & 1 else q), padd(p, p), s >> 1
    return q


def pequal(p, q):
    return (p[0] * q[2] - q[0] * p[2]) % P == 0 and (p[1] * q[2] - q[1] * p[2]) % P == 0


def recover_x(y, sign):
    if y >= P:  # non-canonical y: RFC 8032 5.1.3 step 1 says decoding fails
        return None
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P  # candidate square root
    if (v * x * x - u) % P != 0:
        x = x * SQRT_M1 % P
    if (v * x * x - u) % P != 0 or (x == 0 and sign):
        return None  # u/v is not a square (not on the curve), or x = 0 with sign bit set
    return P - x if (x & 1) != sign else x


def decode_point(b):
    y = int.from_bytes(b, "little")
    x = recover_x(y & ((1 << 255) - 1), y >> 255)
    y &= (1 << 255) - 1
    return None if x is None else (x, y, 1, x * y % P)


def encode_point(p):
    zi = pow(p[2], P - 2, P)
    x, y = p[0] * zi % P, p[1] * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


G = decode_point((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))  # base point B, y = 4/5


def ed25519_verify(pub, msg, sig):
    if len(pub) != 32 or len(sig) != 64:
        return False
    a, r, s = decode_point(pub), decode_point(sig[:32]), int.from_bytes(sig[32:], "little")
    if a is None or r is None or s >= L or pequal(pmul(8, a), IDENT):  # doc: "not of small order"
        return False
    k = int.from_bytes(hashlib.sha512(sig[:32] + pub + msg).digest(), "little") % L
    return pequal(pmul(s, G), padd(r, pmul(k, a)))  # [S]B = R + [k]A


def public_key_from_seed(seed):
    h = hashlib.sha512(seed).digest()
    a = (int.from_bytes(h[:32], "little") & ((1 << 254) - 8)) | (1 << 254)
    return encode_point(pmul(a, G))


# ---------------------------------------------------------------- Protobuf, by hand
def read_varint(buf, i):
    result = shift = 0
    while True:
        if i >= len(buf) or shift > 63:
            raise ValueError("truncated or overlong varint")
        result, i, shift = result | (buf[i] & 0x7F) << shift, i + 1, shift + 7
        if not buf[i - 1] & 0x80:
            return result, i


def varint(n):
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(out + bytes([n]))


def parse_fields(buf):
    """[(field number, wire type, value)]: value is an int (varint) or bytes (other types)."""
    out, i = [], 0
    while i < len(buf):
        key, i = read_varint(buf, i)
        num, wt = key >> 3, key & 7
        if num == 0:
            raise ValueError("field number 0")
        if wt == 0:
            val, i = read_varint(buf, i)
        elif wt in (1, 2, 5):
            n, i = (read_varint(buf, i) if wt == 2 else ({1: 8, 5: 4}[wt], i))
            if i + n > len(buf):
                raise ValueError("field %d runs past the end" % num)
            val, i = bytes(buf[i:i + n]), i + n
        else:
            raise ValueError("unsupported wire type %d (field %d)" % (wt, num))
        out.append((num, wt, val))
    return out


KINDS = {10: "capabilities_announced", 11: "service_proposed", 12: "service_acknowledged",
         13: "rating", 14: "equivocation_observed"}
PREFIX = b"council/ledger/event/v1\x00"


def envelope(payload, sig):
    return b"\x0a" + varint(len(payload)) + payload + b"\x12\x40" + sig


def parse_payload(payload):
    """Returns dict(author, seq, prev, ts, body_num, body) or raises ValueError."""
    ev = {"author": b"", "seq": 0, "prev": b"", "ts": 0}
    bodies = []
    for num, wt, val in parse_fields(payload):
        want = {1: ("author", 2), 2: ("seq", 0), 3: ("prev", 2), 4: ("ts", 0)}.get(num)
        if want:
            if wt != want[1]:
                raise ValueError("field %d has wire type %d" % (num, wt))
            ev[want[0]] = val
        elif num >= 10:
            if wt != 2:
                raise ValueError("body field %d is not length-delimited" % num)
            bodies.append((num, val))
    if len(bodies) != 1:
        raise ValueError("expected exactly one body, found %d" % len(bodies))
    ev["body_num"], ev["body"] = bodies[0]
    if len(ev["author"]) != 32 or ev["seq"] < 1:
        raise ValueError("author not 32 bytes or seq < 1")
    if len(ev["prev"]) != (0 if ev["seq"] == 1 else 32):
        raise ValueError("prev length %d does not fit seq %d" % (len(ev["prev"]), ev["seq"]))
    return ev


def check_equivocation(body):
    f = {num: val for num, _, val in parse_fields(body)}
    accused, seq, inner = f.get(1, b""), f.get(2, 0), [f.get(3, b""), f.get(4, b"")]
    payloads = []
    for blob in inner:
        parts = parse_fields(blob)
        if [(n, w) for n, w, _ in parts] != [(1, 2), (2, 2)] or \
                envelope(parts[0][2], parts[1][2]) != blob:
            raise ValueError("inner event is not a canonical signed_event")
        ev = parse_payload(parts[0][2])
        if ev["author"] != accused or ev["seq"] != seq:
            raise ValueError("inner event not by the accused at seq %d" % seq)
        if not ed25519_verify(accused, PREFIX + parts[0][2], parts[1][2]):
            raise ValueError("inner event signature does not verify")
        payloads.append(parts[0][2])
    if payloads[0] == payloads[1]:
        raise ValueError("equivocation proof with identical payloads")


def flip(b, bit):
    return b[:bit // 8] + bytes([b[bit // 8] ^ (1 << bit % 8)]) + b[bit // 8 + 1:]


def check_vector(v, idx):
    h = {k: bytes.fromhex(v[k]) for k in
         ("author_public_key", "signing_input", "payload", "signature", "signed_event", "id")}
    pay, sig, pub = h["payload"], h["signature"], h["author_public_key"]
    errs = []
    if PREFIX + pay != h["signing_input"]:
        errs.append("signing_input != prefix + payload")
    if envelope(pay, sig) != h["signed_event"]:
        errs.append("signed_event != 0a varint(len) payload 1240 signature")
    if not ed25519_verify(pub, PREFIX + pay, sig):  # over the rebuilt signing_input
        errs.append("Ed25519 signature does not verify")
    for bit in (idx * 37 % 256, 256 + idx * 41 % 248):  # one bit in R, one in S
        if ed25519_verify(pub, PREFIX + pay, flip(sig, bit)):
            errs.append("NEGATIVE: signature with bit %d flipped still verifies" % bit)
    if ed25519_verify(pub, PREFIX + flip(pay, (len(pay) * 8 * idx) // 7 % (len(pay) * 8)), sig):
        errs.append("NEGATIVE: payload with a flipped bit still verifies")
    if hashlib.sha256(h["signed_event"]).digest() != h["id"]:
        errs.append("SHA-256(signed_event) != id")
    ev = None
    try:
        ev = parse_payload(pay)
        if ev["author"] != pub:
            errs.append("payload field 1 != author_public_key")
        if ev["body_num"] == 14:
            check_equivocation(ev["body"])
    except (ValueError, IndexError) as e:
        errs.append("payload: %s" % e)
    return h, ev, errs


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = argv[1] if len(argv) > 1 else os.path.join(root, "docs", "test-vectors", "events.json")
    try:
        with open(path, encoding="utf-8") as fh:
            vectors = json.load(fh)
        if not isinstance(vectors, list):
            raise ValueError("top level is not a JSON array")
    except (OSError, ValueError) as e:
        print("error: cannot read test vectors from %s: %s" % (path, e), file=sys.stderr)
        return 2
    seeds = {public_key_from_seed(bytes([n]) * 32): "seed %02x*32" % n for n in (1, 2, 3)}
    results = []
    for i, v in enumerate(vectors, 1):
        try:
            results.append(check_vector(v, i))
        except (KeyError, ValueError, TypeError) as e:
            results.append((None, None, ["bad vector object: %r" % e]))
    feeds = {}
    for n, (h, ev, _) in enumerate(results, 1):
        if ev:
            if (ev["author"], ev["seq"]) in feeds:
                results[n - 1][2].append("fork: another vector has the same author and seq")
            feeds[(ev["author"], ev["seq"])] = h["id"]
    passed = failed = 0
    for n, (h, ev, errs) in enumerate(results, 1):
        if ev and ev["seq"] > 1:
            prev_id = feeds.get((ev["author"], ev["seq"] - 1))
            if prev_id is None:
                errs.append("no vector for seq %d of this author to link prev to" % (ev["seq"] - 1))
            elif prev_id != ev["prev"]:
                errs.append("prev != id of this author's seq %d" % (ev["seq"] - 1))
        if errs:
            failed += 1
            print("vector %d FAIL: %s" % (n, "; ".join(errs)))
        else:
            passed += 1
            print("vector %d ok: author %s.. (%s) seq %d body %d %s" % (
                n, h["author_public_key"][:8].hex(), seeds.get(h["author_public_key"], "unknown key"),
                ev["seq"], ev["body_num"], KINDS.get(ev["body_num"], "unknown kind")))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
