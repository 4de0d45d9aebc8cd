package org.council.api.ollama;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.council.api.ChatGateway;
import org.council.bridge.BridgeException;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.bridge.ModelInfo;
import org.council.bridge.TokenSink;
import org.council.bridge.Usage;

/**
 * A {@link ChatGateway} that answers from a script: some tokens, then a result, a failure, or
 * nothing (until cancelled). Records every request; {@link #cancelled} completes when a job is
 * cancelled. Thread-safe.
 */
final class FakeChatGateway implements ChatGateway {

    static final Usage USAGE = new Usage(7, 2, 1_000, 10, 20, 30);

    /** What the next jobs do. */
    record Script(List<String> tokens, BridgeException failure, boolean hang) {
        static Script answer(String... tokens) {
            return new Script(List.of(tokens), null, false);
        }

        static Script fail(BridgeException e, String... tokensFirst) {
            return new Script(List.of(tokensFirst), e, false);
        }

        static Script hang(String... tokensFirst) {
            return new Script(List.of(tokensFirst), null, true);
        }
    }

    final List<InferenceRequest> requests = new CopyOnWriteArrayList<>();
    final CompletableFuture<JobId> cancelled = new CompletableFuture<>();
    final java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger resumes = new java.util.concurrent.atomic.AtomicInteger();
    private final List<ModelInfo> models;
    private final AtomicLong ids = new AtomicLong();
    private volatile Script script = Script.answer("Hel", "lo");

    FakeChatGateway(List<ModelInfo> models) {
        this.models = List.copyOf(models);
    }

    FakeChatGateway script(Script s) {
        this.script = s;
        return this;
    }

    @Override
    public Future<List<ModelInfo>> models() {
        return Future.succeededFuture(models);
    }

    @Override
    public Job submit(InferenceRequest request, TokenSink sink) {
        requests.add(request);
        Script s = script;
        Promise<InferenceResult> result = Promise.promise();
        JobId id = new JobId(ids.incrementAndGet());
        String text = String.join("", s.tokens());
        if (request.stream()) {
            s.tokens().forEach(sink::onToken);
        }
        if (s.failure() != null) {
            result.fail(s.failure());
        } else if (!s.hang()) {
            if (!request.stream()) {
                sink.onToken(text);
            }
            result.complete(new InferenceResult(request.model(), "fake", text, "stop", USAGE));
        }
        return new Job() {
            @Override
            public JobId id() {
                return id;
            }

            @Override
            public Future<InferenceResult> result() {
                return result.future();
            }

            @Override
            public boolean cancel() {
                boolean did = result.tryFail(BridgeException.cancelled());
                if (did) {
                    cancelled.complete(id);
                }
                return did;
            }

            @Override
            public void pause() {
                pauses.incrementAndGet();
            }

            @Override
            public void resume() {
                resumes.incrementAndGet();
            }
        };
    }
}
