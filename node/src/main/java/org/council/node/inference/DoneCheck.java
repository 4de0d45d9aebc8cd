package org.council.node.inference;

import java.util.List;
import org.council.bridge.ToolCall;
import org.council.crypto.NodeId;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.SignedEvent;
import org.council.node.wire.EmbeddingVectors;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.RemoteToolCalls;
import org.council.node.wire.WireMessage;

/**
 * What a requester makes of a server's {@code InferenceDone}: the signed claim, what the job
 * returned besides the streamed text (tool calls, or an embedding job's vectors), and why the
 * claim must not be acknowledged ({@code problem}, null when it is right). Immutable.
 */
record DoneCheck(SignedEvent proposal, List<ToolCall> toolCalls, List<double[]> embeddings, String problem) {

    /** Checks {@code d} for {@code p}, whose text and thinking were streamed by {@code server}. Pure but for reads of {@code p}. */
    static DoneCheck of(ClaimCheck claims, NodeId server, PendingJob p, WireMessage.InferenceDone d) {
        DecodeResult decoded = EventCodec.decode(d.proposal());
        SignedEvent proposal = decoded instanceof DecodeResult.Decoded ok ? ok.event() : null;
        if (p.request.kind() == RemoteRequest.Kind.EMBED) {
            List<double[]> vectors;
            try {
                vectors = EmbeddingVectors.decode(d.embeddings(), d.dimensions(), p.request.inputs().size());
            } catch (IllegalArgumentException e) {
                vectors = null;
            }
            String problem = p.overrun ? "the server streamed text for an embedding job"
                    : proposal == null ? "the receipt claim does not decode"
                    : vectors == null ? "the vectors are not one of at most " + EmbeddingVectors.MAX_DIMENSIONS
                            + " float32 for each of the " + p.request.inputs().size() + " inputs"
                    : claims.embeddingProblem(server, p.request, proposal, d.embeddings());
            return new DoneCheck(proposal, List.of(), vectors == null ? List.of() : vectors, problem);
        }
        List<ToolCall> calls;
        try {
            calls = RemoteToolCalls.decode(d.toolCallsJson());
        } catch (IllegalArgumentException e) {
            calls = null;
        }
        long extra = Utf8.length(p.thinking.toString()) + Utf8.length(d.toolCallsJson());
        String problem = p.overrun ? "the server streamed more than was asked for"
                : proposal == null ? "the receipt claim does not decode"
                : calls == null ? "the tool calls do not decode"
                : d.embeddings().length > 0 ? "the server sent vectors for a chat"
                : claims.problem(server, p.request, proposal, p.text.toString(), extra);
        return new DoneCheck(proposal, calls == null ? List.of() : calls, List.of(), problem);
    }
}
