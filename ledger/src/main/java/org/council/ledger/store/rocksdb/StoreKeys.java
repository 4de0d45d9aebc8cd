package org.council.ledger.store.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.council.crypto.NodeId;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.EquivocationProof;

/**
 * Encoders and decoders of every column's keys and values (layouts: {@link Columns}); no other
 * class of the store reads these bytes by offset. The projections column has its own codecs in
 * {@code ProjectionKeys}. Stateless and thread-safe.
 */
final class StoreKeys {

    static final byte[] SCHEMA_VERSION = meta("schema.version");
    static final byte[] PROJECTION_VERSION = meta("projection.version");
    static final byte[] PROJECTION_APPLIED = meta("projection.applied");
    static final byte[] EVENT_COUNT = meta("events.count");

    private StoreKeys() {
    }

    static byte[] event(NodeId author, long seq) {
        byte[] k = new byte[NodeId.LENGTH + 8];
        author.copyTo(k, 0);
        putLong(k, NodeId.LENGTH, seq);
        return k;
    }

    static NodeId authorOf(byte[] eventKey) {
        return NodeId.of(Arrays.copyOf(eventKey, NodeId.LENGTH));
    }

    static long seqOf(byte[] eventKey) {
        return ByteBuffer.wrap(eventKey, NodeId.LENGTH, 8).getLong();
    }

    /** The {@code heads} key of a feed. */
    static byte[] author(NodeId author) {
        return author.bytes();
    }

    /** The author a {@code heads} key names. */
    static NodeId headAuthor(byte[] key) {
        return NodeId.of(key);
    }

    static byte[] eventId(EventId id) {
        return id.bytes();
    }

    static byte[] head(FeedHead h) {
        return ByteBuffer.allocate(8 + EventId.LENGTH + 8).putLong(h.seq()).put(h.id().bytes())
                .putLong(h.timestampMs()).array();
    }

    static FeedHead decodeHead(NodeId author, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long seq = b.getLong();
        byte[] id = new byte[EventId.LENGTH];
        b.get(id);
        return new FeedHead(author, seq, EventId.of(id), b.getLong());
    }

    static byte[] longValue(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long decodeLong(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }

    static byte[] proof(SignedEvent first, SignedEvent second) {
        byte[] a = first.envelopeUnsafe();
        byte[] b = second.envelopeUnsafe();
        return ByteBuffer.allocate(4 + a.length + b.length).putInt(a.length).put(a).put(b).array();
    }

    /** Decodes an {@code equivocations} entry: key accused(32) seq(8), value len(4) first second. */
    static EquivocationProof decodeProof(byte[] key, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        byte[] first = new byte[b.getInt()];
        b.get(first);
        byte[] second = new byte[b.remaining()];
        b.get(second);
        return new EquivocationProof(authorOf(key), seqOf(key), EventCodec.decodeTrusted(first),
                EventCodec.decodeTrusted(second));
    }

    private static void putLong(byte[] dest, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            dest[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static byte[] meta(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
