package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.council.crypto.Sha256;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

/**
 * The audit API writes events with {@link EventWriter}; the export command and the schema's
 * reference rendering are {@link EventJson}'s tree. The two must give the same bytes.
 */
class EventWriterTest {

    private static final List<String> AWKWARD = List.of("", "plain", "quote\" and \\ backslash",
            "tab\tnew\nline\r\u0000\u0001\u001f\u007f", "caf\u00e9 \u4e2d\u6587", "emoji \ud83e\udd99",
            "</script>", "slash/ and \u2028 separator");

    @Test
    void everyKindIsWrittenAsTheTreeSerializes() throws Exception {
        FeedBuilder a = FeedBuilder.random();
        FeedBuilder b = FeedBuilder.random();
        List<SignedEvent> events = new ArrayList<>();
        events.add(a.next(FeedBuilder.capabilities("llama3.1:8b")));
        SignedEvent proposal = a.next(FeedBuilder.proposal(b.id(), 1_234));
        events.add(proposal);
        events.add(b.next(FeedBuilder.ack(proposal)));
        events.add(b.next(new EventBody.Rating(JobId.random(), List.of(
                new EventBody.RatedMember(a.id(), 1500, 2), new EventBody.RatedMember(b.id(), Integer.MAX_VALUE, 1)))));
        FeedBuilder liar = FeedBuilder.random();
        SignedEvent first = liar.next(FeedBuilder.capabilities("x"));
        SignedEvent second = new FeedBuilder(liar.keys()).next(FeedBuilder.capabilities("y"));
        events.add(a.next(new EventBody.EquivocationObserved(liar.id(), 1, first, second)));
        for (String s : AWKWARD) {
            byte[] h = Sha256.hash(s.getBytes(StandardCharsets.UTF_8));
            events.add(a.next(new EventBody.ServiceProposed(JobId.random(), b.id(), s.isEmpty() ? "m" : s,
                    Long.MAX_VALUE, Integer.MAX_VALUE, 0, 0, 1, h, h, 0, s)));
            events.add(a.next(new EventBody.CapabilitiesAnnounced(
                    List.of(new EventBody.ModelOffer(s.isEmpty() ? "m" : s, 1, s, 2)), s, 1, s)));
        }
        for (SignedEvent e : events) {
            JsonSink out = new JsonSink(16);
            EventWriter.write(out, e);
            String tree = new String(Responses.MAPPER.writeValueAsBytes(EventJson.event(e)), StandardCharsets.UTF_8);
            assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8)).as(e.kind().wireName())
                    .isEqualTo(tree);
            JsonSink raw = new JsonSink(16);
            boolean written = new RawEventWriter().write(raw, e.envelope(), e.id().bytes(), 0);
            boolean receiptOrRating = e.kind() == EventKind.SERVICE_PROPOSED
                    || e.kind() == EventKind.SERVICE_ACKNOWLEDGED || e.kind() == EventKind.RATING;
            assertThat(written).as("raw " + e.kind().wireName()).isEqualTo(receiptOrRating);
            if (written) {
                assertThat(new String(raw.toByteArray(), StandardCharsets.UTF_8)).as("raw " + e.kind().wireName())
                        .isEqualTo(tree);
            } else {
                assertThat(raw.length()).isZero();
            }
        }
    }

    @Test
    void rawBodiesWithDefaultValuesAreWrittenAsTheTreeSerializes() throws Exception {
        FeedBuilder a = FeedBuilder.random();
        FeedBuilder b = FeedBuilder.random();
        byte[] none = new byte[32];
        List<SignedEvent> events = List.of(
                a.next(new EventBody.ServiceProposed(JobId.random(), b.id(), "m", 0, 0, 0, 0, 0, none, none, 0, "")),
                a.next(new EventBody.Rating(JobId.random(), List.of(new EventBody.RatedMember(b.id(), 1000, 1)))),
                a.next(new EventBody.ServiceProposed(JobId.random(), b.id(), "m", 1L << 40, 1, 2, 3, 4,
                        new byte[32], new byte[32], 999_999_999_999L, "review")));
        for (SignedEvent e : events) {
            JsonSink raw = new JsonSink(16);
            assertThat(new RawEventWriter().write(raw, e.envelope(), e.id().bytes(), 0)).isTrue();
            assertThat(new String(raw.toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(Responses.MAPPER.writeValueAsBytes(EventJson.event(e)),
                            StandardCharsets.UTF_8));
        }
    }

    @Test
    void hexIsWrittenAsTheTreeWritesIt() {
        Random random = new Random(5);
        for (int n = 0; n < 70; n++) {
            byte[] bytes = new byte[n + 3];
            random.nextBytes(bytes);
            for (int from = 0; from <= 3; from++) {
                JsonSink out = new JsonSink(4).hex(bytes, from, n);
                assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                        .isEqualTo('"' + org.council.crypto.Hex.encode(java.util.Arrays.copyOfRange(bytes, from, from + n))
                                + '"');
            }
        }
    }

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() {
        Random random = new Random(11);
        List<Long> values = new ArrayList<>(List.of(0L, 9L, 10L, 99L, 100L, 101L, 999L, 1000L,
                Long.MAX_VALUE, Long.MIN_VALUE, -1L, 1_000_000_000_000_000_000L, 999_999_999_999_999_999L));
        for (int i = 0; i < 5_000; i++) {
            values.add(random.nextLong() >>> random.nextInt(64));
        }
        for (long v : values) {
            JsonSink out = new JsonSink(16).number(v);
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void aFinishedSinksArrayIsReusedWithoutItsOldBytes() throws Exception {
        JsonSink big = new JsonSink(64);
        for (int i = 0; i < 100; i++) {
            big.string("x".repeat(100));
        }
        assertThat(big.toBuffer().length()).isEqualTo(100 * 102);
        JsonSink small = new JsonSink(16).raw('[').number(42).raw(']');
        assertThat(small.toBuffer().toString()).isEqualTo("[42]");
        JsonSink zipped = new JsonSink(16).string("again");
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(zipped.gzipped().getBytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("\"again\"");
        }
    }

    @Test
    void stringsAreEscapedAsJacksonEscapesThem() throws Exception {
        List<String> strings = new ArrayList<>(AWKWARD);
        strings.add("lone \ud83e high surrogate");
        strings.add("lone \udd99 low surrogate");
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            char[] chars = new char[random.nextInt(12)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000));
            }
            strings.add(new String(chars));
        }
        for (String s : strings) {
            assertThat(new JsonSink(1).string(s).toByteArray()).as(s)
                    .isEqualTo(Responses.MAPPER.writeValueAsBytes(s));
        }
    }

    @Test
    void bytesAreEncodedAsTheJdkEncodesThem() {
        Random random = new Random(11);
        JsonSink reused = new JsonSink(1);
        for (int n = 0; n < 3_000; n += n < 70 ? 1 : 997) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            String b64 = "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
            assertThat(new String(new JsonSink(1).base64(bytes).toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo(b64);
            int before = reused.length();
            byte[] all = reused.base64(bytes).toByteArray();
            assertThat(new String(all, before, all.length - before, StandardCharsets.US_ASCII)).isEqualTo(b64);
            assertThat(new String(new JsonSink(1).hex(bytes).toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo("\"" + org.council.crypto.Hex.encode(bytes) + "\"");
        }
        for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1_234_567}) {
            assertThat(new String(new JsonSink(1).number(v).toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(v));
        }
    }

    @Test
    void aPageWrittenByOneWriterIsItsEventsAsTheTreeSerializesThem() throws Exception {
        // one writer and one sink for many events, as a page: authors and prevs copied from what
        // was written before must be exactly what writing them again would give
        FeedBuilder a = FeedBuilder.random();
        FeedBuilder b = FeedBuilder.random();
        List<SignedEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SignedEvent proposal = a.next(FeedBuilder.proposal(b.id(), 1_000 + i));
            events.add(proposal);
            if (i % 4 == 1) {
                events.add(a.next(FeedBuilder.capabilities("m" + i))); // written by EventWriter
            }
            events.add(b.next(FeedBuilder.ack(proposal)));
            if (i % 3 == 0) {
                events.add(a.next(FeedBuilder.proposal(b.id(), 7)));
            }
        }
        RawEventWriter writer = new RawEventWriter();
        JsonSink page = new JsonSink(16);
        StringBuilder expected = new StringBuilder();
        for (SignedEvent e : events) {
            if (!writer.write(page, e.envelope(), e.id().bytes(), 0)) {
                EventWriter.write(page, e);
            }
            expected.append(new String(Responses.MAPPER.writeValueAsBytes(EventJson.event(e)), StandardCharsets.UTF_8));
        }
        assertThat(new String(page.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void aPartIsEncodedAsTheJdkEncodesItBeforeOrAfterItsWhole() {
        Random random = new Random(12);
        Base64.Encoder jdk = Base64.getEncoder();
        for (int n = 1; n < 400; n += 1 + random.nextInt(7)) {
            byte[] bytes = new byte[n];
            random.nextBytes(bytes);
            byte[] other = bytes.clone(); // equal bytes in another array, then one byte off
            other[n - 1] ^= 1;
            for (int from = 0; from <= n; from += 1 + random.nextInt(4)) {
                int len = random.nextInt(n - from + 1);
                String part = "\"" + jdk.encodeToString(Arrays.copyOfRange(bytes, from, from + len)) + "\"";
                JsonSink out = new JsonSink(1);
                out.base64(bytes, from, len).raw(',').base64(bytes).raw(',').base64(bytes, from, len).raw(',')
                        .base64(other);
                assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
                        .as("n %d from %d len %d", n, from, len)
                        .isEqualTo(part + ",\"" + jdk.encodeToString(bytes) + "\"," + part + ",\""
                                + jdk.encodeToString(other) + "\"");
            }
        }
    }
}
