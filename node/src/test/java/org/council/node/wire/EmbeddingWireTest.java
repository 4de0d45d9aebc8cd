package org.council.node.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.JobId;
import org.junit.jupiter.api.Test;

/** An embedding job on the wire: the signed request with its inputs, the vectors back, and their bounds. */
class EmbeddingWireTest {

    private final NodeKeyPair requester = NodeKeyPair.generate();
    private final NodeKeyPair server = NodeKeyPair.generate();
    private final SignatureVerifier verifier = new SignatureVerifier();

    @Test
    void theSignedEmbeddingRequestRoundTripsThroughAFrame() throws ProtocolViolationException {
        RemoteRequest sent = RemoteRequest.signEmbedding(requester, server.id(), JobId.random(), 5, "nomic-embed-text",
                List.of("fair", "unfair", ""), "{\"num_ctx\":2048}", "embed");

        WireMessage.InferenceRequest wire = (WireMessage.InferenceRequest) FrameCodec.decode(
                FrameCodec.encode(sent.toWire()).getBytes(4, FrameCodec.encode(sent.toWire()).length()));
        RemoteRequest got = RemoteRequest.verify(wire, verifier);

        assertThat(got.kind()).isEqualTo(RemoteRequest.Kind.EMBED);
        assertThat(got.inputs()).containsExactly("fair", "unfair", "");
        assertThat(got.messages()).isEmpty();
        assertThat(got.features().options()).containsEntry("num_ctx", 2048);
        assertThat(got.stage()).isEqualTo("embed");
        assertThat(got.requestBytes()).isEqualTo(sent.requestBytes());
        assertThat(InferenceRequestPayload.Kind.EMBED.getNumber()).isEqualTo(RemoteRequest.Kind.EMBED.number());
    }

    @Test
    void vectorsRoundTripAsLittleEndianFloat32InTheDoneFrame() throws ProtocolViolationException {
        double[] a = {0.1, -2.5, 1e-7};
        double[] b = {3.0, 0, -0.0};
        EmbeddingVectors.Packed packed = EmbeddingVectors.encode(List.of(a, b));
        assertThat(packed.dimensions()).isEqualTo(3);
        assertThat(packed.bytes()).hasSize(24);
        assertThat(packed.bytes()[4 * 3]).as("little-endian: 3.0f is 0x40400000, low byte first").isZero();
        assertThat(packed.bytes()[4 * 3 + 3]).isEqualTo((byte) 0x40);

        WireMessage.InferenceDone done = new WireMessage.InferenceDone(new byte[16], "stop", new byte[] {7}, "",
                packed.bytes(), packed.dimensions());
        WireMessage.InferenceDone back = (WireMessage.InferenceDone) FrameCodec.decode(
                FrameCodec.encode(done).getBytes(4, FrameCodec.encode(done).length()));
        List<double[]> vectors = EmbeddingVectors.decode(back.embeddings(), back.dimensions(), 2);

        assertThat(vectors.get(0)).containsExactly((float) 0.1, (float) -2.5, (float) 1e-7);
        assertThat(vectors.get(1)).containsExactly(3.0, 0, -0.0);
    }

    @Test
    void vectorsOutOfBoundsAreRefusedOnBothSides() {
        assertThatThrownBy(() -> EmbeddingVectors.encode(List.of())).hasMessageContaining("no vectors");
        assertThatThrownBy(() -> EmbeddingVectors.encode(List.of(new double[3], new double[4])))
                .hasMessageContaining("different dimensions");
        assertThatThrownBy(() -> EmbeddingVectors.encode(List.of(new double[EmbeddingVectors.MAX_DIMENSIONS + 1])))
                .hasMessageContaining("at most");
        // the vectors of many inputs exceed the frame: the server tells the requester rather than send them
        assertThatThrownBy(() -> EmbeddingVectors.encode(Collections.nCopies(61, new double[4096])))
                .hasMessageContaining("fewer inputs");
        assertThat(EmbeddingVectors.encode(Collections.nCopies(60, new double[4096])).bytes())
                .hasSizeLessThanOrEqualTo(EmbeddingVectors.MAX_BYTES);

        // a server that sends other than one vector per input, a bogus dimension or too many bytes
        assertThatThrownBy(() -> EmbeddingVectors.decode(new byte[24], 3, 3)).hasMessageContaining("not 3 inputs");
        assertThatThrownBy(() -> EmbeddingVectors.decode(new byte[25], 3, 2)).hasMessageContaining("not 2 inputs");
        assertThatThrownBy(() -> EmbeddingVectors.decode(new byte[0], 0, 0)).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> EmbeddingVectors.decode(new byte[8], -1, 1)).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> EmbeddingVectors.decode(new byte[EmbeddingVectors.MAX_BYTES + 4],
                (EmbeddingVectors.MAX_BYTES + 4) / 4, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequesterSignsAtMostTheInputCapAndAServerRefusesMore() {
        assertThatThrownBy(() -> RemoteRequest.signEmbedding(requester, server.id(), JobId.random(), 1, "m", List.of(),
                "", "embed")).hasMessageContaining("1 to 256 inputs");
        assertThatThrownBy(() -> RemoteRequest.signEmbedding(requester, server.id(), JobId.random(), 1, "m",
                Collections.nCopies(RemoteRequest.MAX_INPUTS + 1, "x"), "", "embed"))
                .hasMessageContaining("1 to 256 inputs");

        // a hostile requester signs what the honest code never would
        assertRefused(payload().setKind(InferenceRequestPayload.Kind.EMBED)
                .addAllInputs(Collections.nCopies(RemoteRequest.MAX_INPUTS + 1, "x")), "inputs");
        assertRefused(payload().setKind(InferenceRequestPayload.Kind.EMBED), "inputs");
        assertRefused(payload().setKind(InferenceRequestPayload.Kind.EMBED).addInputs("x")
                .addMessages(ChatTurn.newBuilder().setRole("user").setContent("hi")), "no messages");
        assertRefused(payload().setKind(InferenceRequestPayload.Kind.EMBED).addInputs("x").setToolsJson("[]"),
                "no messages, format, think or tools");
        assertRefused(payload().addInputs("x").addMessages(ChatTurn.newBuilder().setRole("user").setContent("hi")),
                "no inputs");
        assertRefused(payload().setKindValue(7).addInputs("x"), "unknown job kind 7");
    }

    @Test
    void aChatRequestIsKindChatWithNoInputs() {
        RemoteRequest chat = RemoteRequest.sign(requester, server.id(), JobId.random(), 1, "m",
                List.of(ChatMessage.user("hi")), 0, "chat");
        RemoteRequest got = RemoteRequest.verify(chat.toWire(), verifier);
        assertThat(got.kind()).isEqualTo(RemoteRequest.Kind.CHAT);
        assertThat(got.inputs()).isEmpty();
    }

    private InferenceRequestPayload.Builder payload() {
        return InferenceRequestPayload.newBuilder().setJobId(ByteString.copyFrom(JobId.random().bytes()))
                .setRequester(ByteString.copyFrom(requester.id().bytes()))
                .setServer(ByteString.copyFrom(server.id().bytes())).setIssuedMs(1).setModel("m").setStage("embed");
    }

    private void assertRefused(InferenceRequestPayload.Builder p, String reason) {
        byte[] bytes = p.build().toByteArray();
        WireMessage.InferenceRequest wire = new WireMessage.InferenceRequest(bytes,
                requester.sign(RemoteRequest.DOMAIN, bytes));
        assertThatThrownBy(() -> RemoteRequest.verify(wire, verifier)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
