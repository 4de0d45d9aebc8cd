package org.council.node.council;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.council.bridge.ChatMessage;

/**
 * Runs one stage's calls in parallel, each with its own deadline, and reports every outcome on
 * the run's context. A call never fails the stage: an error, an empty reply or the deadline
 * becomes a failed {@link Outcome}, and whatever arrives after the deadline is ignored.
 * Confined to the given context.
 */
final class StageCalls {

    private static final int MAX_REASON = 300;

    /** One member's messages for the stage. */
    record Call(Member member, List<ChatMessage> messages) {
    }

    /** What one call produced: a reply, or the reason there is none. */
    record Outcome(Member member, MemberReply reply, String error) {
        boolean ok() {
            return reply != null;
        }
    }

    private final MemberClient client;
    private final Context ctx;

    StageCalls(MemberClient client, Context ctx) {
        this.client = client;
        this.ctx = ctx;
    }

    /**
     * Starts every call now; {@code each} sees each outcome as it settles, and the returned future
     * (which never fails) gives them all in the order of {@code calls}. Must be called on the context.
     */
    Future<List<Outcome>> all(CouncilStage stage, List<Call> calls, Duration timeout, Consumer<Outcome> each) {
        assert onContext() : "StageCalls.all called off the run's context";
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Call call : calls) {
            futures.add(one(stage, call, timeout, each));
        }
        return Future.all(futures).map(done -> futures.stream().map(Future::result).toList());
    }

    /** True on the run's context: Vert.x's own confinement check. */
    boolean onContext() {
        return ((ContextInternal) ctx).inThread();
    }

    private Future<Outcome> one(CouncilStage stage, Call call, Duration timeout, Consumer<Outcome> each) {
        Promise<Outcome> promise = Promise.promise();
        Member member = call.member();
        long ms = Math.max(1, timeout.toMillis());
        long timer = ctx.owner().setTimer(ms, id -> ctx.runOnContext(v ->
                settle(promise, new Outcome(member, null, "timed out after " + ms + " ms"), each)));
        Future<MemberReply> reply;
        try {
            reply = client.complete(member, stage.id(), call.messages(), timeout);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        if (reply == null) {
            reply = Future.failedFuture("the member client returned no future");
        }
        reply.onComplete(ar -> ctx.runOnContext(v -> {
            ctx.owner().cancelTimer(timer);
            settle(promise, outcome(member, ar), each);
        }));
        return promise.future();
    }

    private static void settle(Promise<Outcome> promise, Outcome outcome, Consumer<Outcome> each) {
        // confined to the context, so check-then-act is safe; report before completing so the
        // stage's listeners see every outcome before the stage ends
        if (!promise.future().isComplete()) {
            try {
                each.accept(outcome);
            } finally {
                promise.complete(outcome);
            }
        }
    }

    private static Outcome outcome(Member member, AsyncResult<MemberReply> ar) {
        if (ar.failed()) {
            return new Outcome(member, null, reason(ar.cause()));
        }
        MemberReply reply = ar.result();
        if (reply == null || reply.text().isBlank()) {
            return new Outcome(member, null, "empty reply");
        }
        return new Outcome(member, reply, null);
    }

    private static String reason(Throwable t) {
        String msg = t.getMessage();
        String text = msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
    }
}
