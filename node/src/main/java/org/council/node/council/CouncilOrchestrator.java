package org.council.node.council;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Random;
import org.council.bridge.TokenSink;

/**
 * Runs council queries: stage 1 (answers), stage 2 (anonymized, per-reviewer shuffled reviews
 * and rankings), stage 3 (the chairman's synthesis). See {@code docs/council.md}.
 *
 * <p>Threading: {@link #run} must be called on a Vert.x context (event loop or worker). Each run
 * is confined to that context: member replies, timeouts and listener events are all handled there,
 * and the returned future completes there. It never blocks. The orchestrator itself holds no
 * per-run state, so it may run several councils at once from any contexts.
 *
 * <p>Timeouts: every call gets its stage's timeout from the query; when it runs out the member is
 * recorded as failed and a later reply is ignored (the {@link MemberClient} is told the same
 * timeout so it can cancel the work).
 *
 * <p>Randomness: each run draws one seed from the {@code Random} given here and uses it for the
 * label order and every reviewer's shuffle, so a seeded {@code Random} gives reproducible councils.
 */
public final class CouncilOrchestrator {

    private final MemberClient client;
    private final Random random;
    private final MemberSelector selector = new MemberSelector();

    public CouncilOrchestrator(MemberClient client, Random random) {
        this.client = Objects.requireNonNull(client, "client");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Runs the council. The future fails only when called off a Vert.x context or on a bug; member
     * failures, timeouts and a failed stage are reported in the {@link CouncilResult} instead.
     */
    public Future<CouncilResult> run(CouncilQuery query, CouncilListener listener) {
        return start(query, listener, TokenSink.NONE).result();
    }

    /**
     * Starts the council; the chairman's synthesis streams into {@code answerSink} (on the run's
     * context, in order, before the result completes). The handle's cancel may be called from any
     * thread: it stops the council (see {@link CouncilHandle}).
     */
    public CouncilHandle start(CouncilQuery query, CouncilListener listener, TokenSink answerSink) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(answerSink, "answerSink");
        Context ctx = Vertx.currentContext();
        if (ctx == null) {
            return new CouncilHandle(Future.failedFuture(
                    new IllegalStateException("CouncilOrchestrator.run must be called on a Vert.x context")), () -> { });
        }
        Random runRandom = new Random(random.nextLong());  // java.util.Random is thread-safe
        CouncilRun run = new CouncilRun(query, listener, new StageCalls(client, ctx), selector, runRandom, answerSink);
        return new CouncilHandle(run.run(), () -> ctx.runOnContext(v -> run.cancel()));
    }
}
