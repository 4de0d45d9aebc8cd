package org.council.node.council;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;

/**
 * Runs one council call on one member: locally when {@code member.node()} is the local node,
 * otherwise as remote inference on that peer (producing the receipts for the work).
 *
 * <p>Implementations must be safe to call from any Vert.x context and may complete the future
 * on any thread: the orchestrator moves completions back to its own context. A failure, a refusal
 * or a timeout fails the future. {@code timeout} is the stage's budget: the implementation should
 * cancel the work when it runs out, because the orchestrator stops waiting at that moment and
 * ignores a later reply.
 *
 * <p>{@link #start} is what the orchestrator calls: it adds a way to stop the call (a council the
 * client gave up on cancels its members' calls) and a token sink (the chairman's synthesis streams
 * to the client). The default implements it with {@link #complete}: no cancel, no tokens (the
 * orchestrator then passes the whole reply on at once).
 */
@FunctionalInterface
public interface MemberClient {

    /**
     * @param stage {@code "answer"}, {@code "review"} or {@code "synthesis"} (see {@link CouncilStage#id()})
     */
    Future<MemberReply> complete(Member member, String stage, List<ChatMessage> messages, Duration timeout);

    /**
     * Starts the call. {@code sink} gets the reply's text as it is generated (any thread, in order,
     * before the reply completes); {@link TokenSink#NONE} when nobody listens.
     */
    default MemberCall start(Member member, String stage, List<ChatMessage> messages, Duration timeout, TokenSink sink) {
        Future<MemberReply> reply = complete(member, stage, messages, timeout);
        return new MemberCall(reply != null ? reply : Future.failedFuture("the member client returned no future"),
                () -> { });
    }
}
