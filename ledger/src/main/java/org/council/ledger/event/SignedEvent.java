package org.council.ledger.event;

import org.council.crypto.NodeId;

/**
 * One event exactly as its author signed it: the envelope bytes (what is stored and sent to
 * peers), the payload and signature inside it, its id, and the decoded fields.
 *
 * <p>Instances come from {@code EventCodec}, which checks the structure; a {@code SignedEvent}
 * says nothing about whether its signature is valid or whether it fits its feed: that is the
 * store's validation. Immutable and thread-safe; byte accessors return copies.
 */
public final class SignedEvent {

    private final byte[] envelope;
    private final byte[] payload;
    private final byte[] signature;
    private final EventId id;
    private final NodeId author;
    private final long seq;
    private final EventId prev;
    private final long timestampMs;
    private final EventBody body;

    public SignedEvent(byte[] envelope, byte[] payload, byte[] signature, EventId id,
                       NodeId author, long seq, EventId prev, long timestampMs, EventBody body) {
        this.envelope = envelope;
        this.payload = payload;
        this.signature = signature;
        this.id = id;
        this.author = author;
        this.seq = seq;
        this.prev = prev;
        this.timestampMs = timestampMs;
        this.body = body;
    }

    /** The exact signed envelope bytes. */
    public byte[] envelope() {
        return envelope.clone();
    }

    /** The exact payload bytes the signature covers (after the domain prefix). */
    public byte[] payload() {
        return payload.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Read-only access without a copy, for the store's hot paths. Callers must not modify it. */
    public byte[] envelopeUnsafe() {
        return envelope;
    }

    public byte[] payloadUnsafe() {
        return payload;
    }

    public byte[] signatureUnsafe() {
        return signature;
    }

    public int size() {
        return envelope.length;
    }

    public EventId id() {
        return id;
    }

    public NodeId author() {
        return author;
    }

    public long seq() {
        return seq;
    }

    /** The previous event's id, or null for seq 1. */
    public EventId prev() {
        return prev;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public EventBody body() {
        return body;
    }

    public EventKind kind() {
        return body.kind();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedEvent other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "SignedEvent[" + author.shortHex() + "#" + seq + " " + body.kind().wireName() + " id=" + id.hex() + "]";
    }
}
