package org.council.node.council;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;

/**
 * Runs one stage's calls in parallel, each with its own deadline, and reports every outcome on
 * the run's context. A call never fails the stage: an error, an empty reply, the deadline or
 * {@link #cancelAll} becomes a failed {@link Outcome}, and whatever arrives after that is ignored.
 * A call with a token sink streams its reply there, on the context, only while it is unsettled;
 * when it succeeds, whatever the member did not stream is passed on at once, so the sink always
 * ends up with exactly the reply's text. Confined to the given context.
 */
final class StageCalls {

    private static final int MAX_REASON = 300;

    /** One member's messages for the stage, and where its reply's tokens go as they arrive. */
    record Call(Member member, List<ChatMessage> messages, TokenSink sink) {
        Call(Member member, List<ChatMessage> messages) {
            this(member, messages, TokenSink.NONE);
        }
    }

    /** What one call produced: a reply, or the reason there is none. */
    record Outcome(Member member, MemberReply reply, String error) {
        boolean ok() {
            return reply != null;
        }
    }

    /** One unsettled call: how to stop the member's work and settle it. */
    private record InFlight(Runnable cancel, Consumer<Outcome> each, Member member) {
    }

    private final MemberClient client;
    private final Context ctx;
    // Accessed by context thread
    private final Map<Promise<Outcome>, InFlight> inFlight = new IdentityHashMap<>();

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

    /** Stops every unsettled call: the member's work is cancelled and the call settles as failed. */
    void cancelAll(String reason) {
        assert onContext() : "StageCalls.cancelAll called off the run's context";
        for (Map.Entry<Promise<Outcome>, InFlight> e : List.copyOf(inFlight.entrySet())) {
            InFlight f = e.getValue();
            try {
                f.cancel().run();
            } finally {
                settle(e.getKey(), new Outcome(f.member(), null, reason), f.each());
            }
        }
    }

    /** True on the run's context: Vert.x's own confinement check. */
    boolean onContext() {
        return ((ContextInternal) ctx).inThread();
    }

    private Future<Outcome> one(CouncilStage stage, Call call, Duration timeout, Consumer<Outcome> each) {
        Promise<Outcome> promise = Promise.promise();
        Member member = call.member();
        StringBuilder streamed = new StringBuilder();  // Accessed by context thread
        TokenSink tokens = call.sink() == TokenSink.NONE ? TokenSink.NONE : t -> ctx.runOnContext(v -> {
            if (!promise.future().isComplete()) {
                streamed.append(t);
                call.sink().onToken(t);
            }
        });
        long ms = Math.max(1, timeout.toMillis());
        long timer = ctx.owner().setTimer(ms, id -> ctx.runOnContext(v ->
                settle(promise, new Outcome(member, null, "timed out after " + ms + " ms"), each)));
        MemberCall started;
        try {
            started = client.start(member, stage.id(), call.messages(), timeout, tokens);
        } catch (RuntimeException e) {
            started = new MemberCall(Future.failedFuture(e), () -> { });
        }
        if (started == null) {
            started = new MemberCall(Future.failedFuture("the member client returned no call"), () -> { });
        }
        inFlight.put(promise, new InFlight(started.cancel(), each, member));
        started.reply().onComplete(ar -> ctx.runOnContext(v -> {
            ctx.owner().cancelTimer(timer);
            Outcome outcome = outcome(member, ar);
            if (outcome.ok() && !promise.future().isComplete()) {
                rest(outcome.reply().text(), streamed, call.sink());
            }
            settle(promise, outcome, each);
        }));
        return promise.future();
    }

    /** Passes on the part of the reply the member did not stream (all of it when it streamed nothing). */
    private static void rest(String text, StringBuilder streamed, TokenSink sink) {
        if (sink == TokenSink.NONE || streamed.length() >= text.length()) {
            return;
        }
        if (text.startsWith(streamed.toString())) {
            sink.onToken(text.substring(streamed.length()));
        }
    }

    private void settle(Promise<Outcome> promise, Outcome outcome, Consumer<Outcome> each) {
        // confined to the context, so check-then-act is safe; report before completing so the
        // stage's listeners see every outcome before the stage ends
        inFlight.remove(promise);
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
