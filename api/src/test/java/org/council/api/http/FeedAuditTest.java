package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit promise: a client that trusts nothing but {@code docs/ledger-format.md} can fetch every
 * event of every feed through the API and re-verify it from the raw bytes. Deliberately uses no
 * project codec: only base64, a hand-written Protobuf field reader, SHA-256 and BouncyCastle's
 * RFC 8032 verify.
 */
@ExtendWith(VertxExtension.class)
class FeedAuditTest {

    private static final byte[] DOMAIN = "council/ledger/event/v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final int PAGE = 7;

    private ApiFixture net;

    @BeforeEach
    void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
        net = new ApiFixture(vertx, dir, null);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    @Test
    void everyEventOfEveryFeedVerifiesFromItsRawBytes() throws Exception {
        ApiFixture.Reply feeds = net.get("/api/v1/feeds");
        assertThat(feeds.status()).isEqualTo(200);
        assertThat(feeds.json().get("feeds")).hasSize(4); // self, a, b, liar

        long total = 0;
        for (JsonNode feed : feeds.json().get("feeds")) {
            assertThat(fieldNames(feed)).containsExactlyInAnyOrder("author", "head_seq", "head_id");
            String author = feed.get("author").asText();
            byte[] authorKey = HEX.parseHex(author);
            long expectedSeq = 1;
            String prevId = null;
            while (true) {
                ApiFixture.Reply page = net.get("/api/v1/feeds/" + author + "/events?from=" + expectedSeq
                        + "&limit=" + PAGE);
                assertThat(page.status()).isEqualTo(200);
                JsonNode events = page.json().get("events");
                assertThat(events.size()).isLessThanOrEqualTo(PAGE);
                if (events.isEmpty()) {
                    break;
                }
                for (JsonNode e : events) {
                    verify(e, authorKey, expectedSeq, prevId);
                    prevId = e.get("id").asText();
                    expectedSeq++;
                    total++;
                }
            }
            assertThat(expectedSeq - 1).isEqualTo(feed.get("head_seq").asLong());
            assertThat(prevId).isEqualTo(feed.get("head_id").asText());
        }
        assertThat(total).isEqualTo(net.store.eventCount());
        assertThat(total).isGreaterThan(PAGE * 2L);
    }

    @Test
    void oneEventByIdIsTheSameAsInItsFeed() {
        JsonNode first = net.get("/api/v1/feeds/" + net.a.id().hex() + "/events?limit=1").json().get("events").get(0);
        ApiFixture.Reply byId = net.get("/api/v1/events/" + first.get("id").asText());
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json()).isEqualTo(first);
        assertThat(first.get("prev").isNull()).isTrue();
        assertThat(first.get("kind").asText()).isEqualTo("capabilities_announced");
        assertThat(first.at("/body/models/0/name").asText()).isEqualTo("llama3.1:8b");
        assertThat(first.at("/body/models/0/context_length").asInt()).isEqualTo(8192);
    }

    private static void verify(JsonNode e, byte[] authorKey, long expectedSeq, String prevId) throws Exception {
        assertThat(fieldNames(e)).containsExactlyInAnyOrder("id", "author", "seq", "prev", "timestamp_ms",
                "kind", "body", "payload", "signature", "signed_event");
        byte[] signedEvent = Base64.getDecoder().decode(e.get("signed_event").asText());
        byte[] payload = Base64.getDecoder().decode(e.get("payload").asText());
        byte[] signature = HEX.parseHex(e.get("signature").asText());
        assertThat(signature).hasSize(64);

        // signed_event = 0x0a varint(len(payload)) payload 0x12 0x40 signature, nothing else
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0x0a);
        writeVarint(expected, payload.length);
        expected.writeBytes(payload);
        expected.write(0x12);
        expected.write(0x40);
        expected.writeBytes(signature);
        assertThat(signedEvent).isEqualTo(expected.toByteArray());

        // signature over the domain prefix and the payload bytes as received
        byte[] signingInput = new byte[DOMAIN.length + payload.length];
        System.arraycopy(DOMAIN, 0, signingInput, 0, DOMAIN.length);
        System.arraycopy(payload, 0, signingInput, DOMAIN.length, payload.length);
        assertThat(Ed25519.verify(signature, 0, authorKey, 0, signingInput, 0, signingInput.length))
                .as("signature of %s", e.get("id")).isTrue();

        // id = SHA-256(signed_event); lowercase hex
        String id = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(signedEvent));
        assertThat(e.get("id").asText()).isEqualTo(id);

        // the payload's own fields, read by hand, agree with the JSON and chain to the previous event
        PayloadFields p = PayloadFields.parse(payload);
        assertThat(p.author).isEqualTo(authorKey);
        assertThat(e.get("author").asText()).isEqualTo(HEX.formatHex(authorKey));
        assertThat(p.seq).isEqualTo(expectedSeq).isEqualTo(e.get("seq").asLong());
        assertThat(p.timestampMs).isEqualTo(e.get("timestamp_ms").asLong());
        if (expectedSeq == 1) {
            assertThat(p.prev).isNull();
            assertThat(e.get("prev").isNull()).isTrue();
        } else {
            assertThat(HEX.formatHex(p.prev)).isEqualTo(prevId).isEqualTo(e.get("prev").asText());
        }
    }

    private static java.util.List<String> fieldNames(JsonNode n) {
        java.util.List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Fields 1-4 of EventPayload, read with nothing but the Protobuf wire rules. */
    private static final class PayloadFields {
        byte[] author;
        long seq;
        byte[] prev;
        long timestampMs;
        private final byte[] buf;
        private int pos;

        private PayloadFields(byte[] buf) {
            this.buf = buf;
        }

        static PayloadFields parse(byte[] payload) {
            PayloadFields p = new PayloadFields(payload);
            while (p.pos < payload.length) {
                long tag = p.varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire == 0) {
                    long v = p.varint();
                    if (field == 2) {
                        p.seq = v;
                    } else if (field == 4) {
                        p.timestampMs = v;
                    }
                } else if (wire == 2) {
                    int len = (int) p.varint();
                    byte[] v = Arrays.copyOfRange(payload, p.pos, p.pos + len);
                    p.pos += len;
                    if (field == 1) {
                        p.author = v;
                    } else if (field == 3) {
                        p.prev = v;
                    }
                } else {
                    throw new AssertionError("unexpected wire type " + wire);
                }
            }
            return p;
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos++];
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }
    }
}
