package org.council.node.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final NodeId A = NodeKeyPair.generate().id();
    private static final NodeId B = NodeKeyPair.generate().id();

    /** One sample of every kind: a kind added without a sample fails {@link #everyKindHasASample()}. */
    private static Map<WireMessage.Kind, WireMessage> samples() {
        List<WireMessage> all = List.of(
                new WireMessage.Hello(WireMessage.PROTOCOL_VERSION, "council-test", A, 7400, "council/test"),
                new WireMessage.Clocks(List.of(new WireMessage.FeedClock(A, 3), new WireMessage.FeedClock(B, 9)), true),
                new WireMessage.EventBatch(A, List.of(new byte[] {1, 2, 3}, new byte[] {4})),
                new WireMessage.RangeRequest(B, 17),
                new WireMessage.PeerList(List.of(new WireMessage.PeerAddress(B, "10.0.0.2", 7401),
                        new WireMessage.PeerAddress(A, "", 0, true))),
                new WireMessage.Ping(-5L),
                new WireMessage.Pong(Long.MAX_VALUE),
                new WireMessage.Goodbye(WireMessage.Reason.TOO_MANY_PEERS, "full"),
                new WireMessage.InferenceRequest(new byte[] {9, 9}, new byte[64]),
                new WireMessage.InferenceTokens(new byte[16], List.of("hel", "lo", "", " wörld"), ""),
                new WireMessage.InferenceDone(new byte[16], "stop", new byte[] {7}),
                new WireMessage.InferenceError(new byte[16], InferenceErrorCode.OVERLOADED, "busy", 1500),
                new WireMessage.InferenceCancel(new byte[16]),
                new WireMessage.DialBackRequest(7400, new byte[] {1, 2, 3, 4}),
                new WireMessage.DialBackResult(new byte[] {1, 2, 3, 4}, DialBackStatus.UNREACHABLE,
                        "203.0.113.9", 51234),
                new WireMessage.RelayReserve(),
                new WireMessage.RelayReservation(true, 4, 64L << 20, 1800, ""),
                new WireMessage.CircuitConnect(-7L, B, true),
                new WireMessage.CircuitStatus(Long.MAX_VALUE, CircuitState.LIMIT, "bytes"),
                new WireMessage.CircuitData(42L, new byte[] {5, 6, 7}),

                new WireMessage.CapabilityList(List.of(new byte[] {5, 6}, new byte[0], new byte[300])));
        Map<WireMessage.Kind, WireMessage> byKind = new EnumMap<>(WireMessage.Kind.class);
        all.forEach(m -> byKind.put(m.kind(), m));
        return byKind;
    }

    private static byte[] body(Buffer frame) {
        assertThat(frame.getInt(0)).isEqualTo(frame.length() - 4);
        return frame.getBytes(4, frame.length());
    }

    @Test
    void everyKindHasASample() {
        assertThat(samples().keySet()).isEqualTo(EnumSet.allOf(WireMessage.Kind.class));
    }

    @Test
    void everyMessageKindRoundTrips() throws ProtocolViolationException {
        for (WireMessage m : samples().values()) {
            WireMessage back = FrameCodec.decode(body(FrameCodec.encode(m)));
            assertThat(back.kind()).isEqualTo(m.kind());
            assertThat(back).as(m.kind().name()).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void everyReasonRoundTripsByItsNumberInWireProto() throws Exception {
        for (WireMessage.Reason r : WireMessage.Reason.values()) {
            assertThat(Goodbye.Reason.forNumber(r.number())).as(r.name()).isNotNull()
                    .extracting(Enum::name).isEqualTo(r.name());
            Frame f = Frame.parseFrom(body(FrameCodec.encode(new WireMessage.Goodbye(r, "x"))));
            assertThat(f.getGoodbye().getReasonValue()).isEqualTo(r.number());
            assertThat(((WireMessage.Goodbye) FrameCodec.decode(f.toByteArray())).reason()).isEqualTo(r);
        }
        // and every reason of wire.proto has its Java reason
        for (Goodbye.Reason p : Goodbye.Reason.values()) {
            if (p != Goodbye.Reason.UNRECOGNIZED) {
                assertThat(WireMessage.Reason.fromNumber(p.getNumber()).name()).isEqualTo(p.name());
            }
        }
    }

    @Test
    void oneTokenEncodesAsTheSingleTextFieldOfTheFirstVersion() throws ProtocolViolationException {
        byte[] body = body(FrameCodec.encode(new WireMessage.InferenceTokens(new byte[0], "hello")));
        // Frame.inference_tokens holds exactly field 2 (text), length 5, "hello": a single string, as before
        byte[] tokens = {0x12, 0x05, 'h', 'e', 'l', 'l', 'o'};
        assertThat(Arrays.copyOfRange(body, body.length - tokens.length, body.length)).isEqualTo(tokens);
        assertThat(body[body.length - tokens.length - 1]).as("the inner message's length").isEqualTo((byte) 7);
        WireMessage.InferenceTokens back = (WireMessage.InferenceTokens) FrameCodec.decode(body);
        assertThat(back.tokens()).containsExactly("hello");
        assertThat(back.text()).isEqualTo("hello");
        // thinking alone carries no token entry
        assertThat(((WireMessage.InferenceTokens) FrameCodec.decode(body(FrameCodec.encode(
                new WireMessage.InferenceTokens(new byte[0], "", "hmm"))))).tokens()).isEmpty();
    }

    @Test
    void anUnknownReasonNumberDecodesAsUnspecified() throws ProtocolViolationException {
        byte[] body = Frame.newBuilder().setGoodbye(Goodbye.newBuilder().setReasonValue(42).setDetail("newer peer"))
                .build().toByteArray();
        WireMessage.Goodbye g = (WireMessage.Goodbye) FrameCodec.decode(body);
        assertThat(g.reason()).isEqualTo(WireMessage.Reason.UNSPECIFIED);
        assertThat(g.detail()).isEqualTo("newer peer");
    }

    @Test
    void aFrameWithAnUnknownMessageIsATypedViolation() {
        // field 99, length-delimited, empty: a message this node does not know
        byte[] unknownField = {(byte) 0x9A, 0x06, 0x00};
        assertViolation(unknownField, ProtocolViolationException.Type.UNKNOWN_MESSAGE);
        // an empty frame: the oneof is unset
        assertViolation(new byte[0], ProtocolViolationException.Type.UNKNOWN_MESSAGE);
    }

    @Test
    void bytesThatAreNotAFrameAreATypedViolation() {
        byte[] junk = new byte[32];
        Arrays.fill(junk, (byte) 0xff);
        assertViolation(junk, ProtocolViolationException.Type.NOT_A_FRAME);
    }

    @Test
    void aKnownMessageWithABadFieldIsMalformed() {
        byte[] body = Frame.newBuilder().setRangeRequest(RangeRequest.newBuilder()
                .setAuthor(ByteString.copyFrom(new byte[3])).setFromSeq(1)).build().toByteArray();
        assertViolation(body, ProtocolViolationException.Type.MALFORMED_MESSAGE);
    }

    @Test
    void theReaderReportsViolationsTypedAndStops() {
        List<WireMessage> got = new ArrayList<>();
        List<ProtocolViolationException> violations = new ArrayList<>();
        FrameReader reader = FrameReader.typed(got::add, violations::add);
        reader.handle(FrameCodec.encode(new WireMessage.Ping(1)));
        reader.handle(Buffer.buffer().appendInt(FrameCodec.MAX_FRAME_BYTES + 1));
        reader.handle(FrameCodec.encode(new WireMessage.Ping(2)));
        assertThat(got).containsExactly(new WireMessage.Ping(1));
        assertThat(violations).singleElement().extracting(ProtocolViolationException::type)
                .isEqualTo(ProtocolViolationException.Type.FRAME_LENGTH);
        assertThat(violations.get(0).reason()).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    private static void assertViolation(byte[] body, ProtocolViolationException.Type type) {
        assertThatThrownBy(() -> FrameCodec.decode(body)).isInstanceOfSatisfying(ProtocolViolationException.class,
                e -> assertThat(e.type()).isEqualTo(type));
    }

    @Test
    void scopedClocksAndScopeChangesRoundTrip() throws ProtocolViolationException {
        List<WireMessage> scoped = List.of(
                new WireMessage.Clocks(List.of(new WireMessage.FeedClock(A, 0, 12), new WireMessage.FeedClock(B, 9, 0)),
                        false, true),
                new WireMessage.RangeRequest(A, 4, 30, false),
                new WireMessage.RangeRequest(B, 1, 0, true));
        for (WireMessage m : scoped) {
            assertThat(FrameCodec.decode(body(FrameCodec.encode(m)))).usingRecursiveComparison().isEqualTo(m);
        }
    }

    @Test
    void decodedEventsAndEncodedFramesShareNoBytesWithTheirSources() throws ProtocolViolationException {
        byte[] event = {1, 2, 3, 4};
        Buffer frame = FrameCodec.encode(new WireMessage.EventBatch(A, List.of(event)));
        event[0] = 9; // the frame was serialized before encode returned
        byte[] body = body(frame);
        WireMessage.EventBatch decoded = (WireMessage.EventBatch) FrameCodec.decode(body);
        Arrays.fill(body, (byte) 0); // decoding aliases the body only until the events are copied out
        assertThat(decoded.events()).singleElement().isEqualTo(new byte[] {1, 2, 3, 4});
    }

    @Test
    void anEndGroupTagInsteadOfTheEndIsNotAFrame() {
        // a valid ping followed by the end-group tag of field 1: parseFrom(byte[]) refused it, so must decode
        byte[] ping = body(FrameCodec.encode(new WireMessage.Ping(3)));
        byte[] withEndGroup = Arrays.copyOf(ping, ping.length + 1);
        withEndGroup[ping.length] = 0x0c;
        assertViolation(withEndGroup, ProtocolViolationException.Type.NOT_A_FRAME);
    }
}
