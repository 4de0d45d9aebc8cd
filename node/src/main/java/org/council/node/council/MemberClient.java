package org.council.node.council;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import org.council.bridge.ChatMessage;

/**
 * Runs one council call on one member: locally when {@code member.node()} is the local node,
 * otherwise as remote inference on that peer (producing the receipts for the work).
 *
 * <p>Implementations must be safe to call from any Vert.x context and may complete the future
 * on any thread: the orchestrator moves completions back to its own context. A failure, a refusal
 * or a timeout fails the future. {@code timeout} is the stage's budget: the implementation should
 * cancel the work when it runs out, because the orchestrator stops waiting at that moment and
 * ignores a later reply.
 */
@FunctionalInterface
public interface MemberClient {

    /**
     * @param stage {@code "answer"}, {@code "review"} or {@code "synthesis"} (see {@link CouncilStage#id()})
     */
    Future<MemberReply> complete(Member member, String stage, List<ChatMessage> messages, Duration timeout);
}
