package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import org.council.node.wire.Frame;
import org.council.node.wire.FrameCodec;
import org.council.node.wire.InferenceError;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;

/** Inference error codes travel as explicit numbers, the same in wire.proto and Java, and decode an unknown one on purpose. */
class InferenceErrorCodeTest {

    @Test
    void everyCodeRoundTripsThroughItsNumberAndMatchesTheProtoEnum() {
        for (InferenceErrorCode c : InferenceErrorCode.values()) {
            assertThat(InferenceErrorCode.forNumber(c.number())).isEqualTo(c);
            assertThat(InferenceError.Code.forNumber(c.number())).as("wire.proto's number of %s", c)
                    .isNotNull().extracting(Enum::name).isEqualTo(c.name());
        }
        assertThat(InferenceError.Code.values()).hasSize(InferenceErrorCode.values().length + 1); // + UNRECOGNIZED
    }

    @Test
    void numbersAreFixedNotOrdinals() {
        assertThat(InferenceErrorCode.UNKNOWN.number()).isZero();
        assertThat(InferenceErrorCode.REFUSED.number()).isEqualTo(1);
        assertThat(InferenceErrorCode.OVERLOADED.number()).isEqualTo(5);
        assertThat(InferenceErrorCode.NOT_CONNECTED.number()).isEqualTo(9);
    }

    @Test
    void anUnknownNumberDecodesToUnknown() throws Exception {
        assertThat(InferenceErrorCode.forNumber(4242)).isEqualTo(InferenceErrorCode.UNKNOWN);
        assertThat(InferenceErrorCode.forNumber(-1)).isEqualTo(InferenceErrorCode.UNKNOWN);
        byte[] fromANewerPeer = Frame.newBuilder().setInferenceError(InferenceError.newBuilder()
                .setJobId(ByteString.copyFrom(new byte[16])).setCodeValue(4242).setDetail("new")).build().toByteArray();

        WireMessage m = FrameCodec.decode(fromANewerPeer);

        assertThat(m).isInstanceOfSatisfying(WireMessage.InferenceError.class, e -> {
            assertThat(e.errorCode()).isEqualTo(InferenceErrorCode.UNKNOWN);
            assertThat(e.detail()).isEqualTo("new");
        });
        assertThat(new RemoteInferenceException(InferenceErrorCode.UNKNOWN, "new", null).retryable()).isFalse();
    }

    @Test
    void everyCodeSurvivesTheFrameCodec() throws Exception {
        for (InferenceErrorCode c : InferenceErrorCode.values()) {
            byte[] body = strip(FrameCodec.encode(new WireMessage.InferenceError(new byte[16], c, "why", 7)).getBytes());

            WireMessage.InferenceError back = (WireMessage.InferenceError) FrameCodec.decode(body);

            assertThat(back.errorCode()).isEqualTo(c);
            assertThat(back.code()).isEqualTo(c.name());
            assertThat(back.retryAfterMs()).isEqualTo(7);
        }
    }

    @Test
    void theExceptionCarriesTheTypedCode() {
        RemoteInferenceException e = new RemoteInferenceException(InferenceErrorCode.OVERLOADED, "queue full",
                Duration.ofSeconds(2));

        assertThat(e.code()).isEqualTo(InferenceErrorCode.OVERLOADED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("OVERLOADED: queue full");
        assertThat(new RemoteInferenceException(InferenceErrorCode.STALE, "old", null).retryable()).isFalse();
    }

    private static byte[] strip(byte[] framed) {
        return java.util.Arrays.copyOfRange(framed, 4, framed.length);
    }
}
