package org.council.bridge.simulated;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.regex.Pattern;
import org.council.bridge.Backend;
import org.council.bridge.BackendCall;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.TokenSink;
import org.council.bridge.Usage;

/**
 * A backend with no model behind it, for demos, tests and benchmarks: it "generates" a fixed
 * text that says it is simulated, at a configured token rate after a configured first-token
 * latency, on Vert.x timers (never blocking). Its models are named {@code simulated-...} and
 * reported with {@code simulated = true}.
 *
 * <p>Thread-safe. Futures and tokens are delivered on a Vert.x event-loop thread (a cancellation
 * fails the call on the cancelling thread).
 */
public final class SimulatedBackend implements Backend {

    /** The text every simulated answer starts with. */
    public static final String BANNER = "[simulated answer, no language model was run]";

    private static final String[] WORDS = ("This is a simulated response from the Council node's simulated "
            + "backend, used for demos, tests and benchmarks.").split(" ");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final Vertx vertx;
    private final SimulatedConfig config;

    public SimulatedBackend(Vertx vertx, SimulatedConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public int maxConcurrency() {
        return config.maxConcurrency();
    }

    @Override
    public Future<List<ModelInfo>> models() {
        return Future.succeededFuture(config.models().stream()
                .map(m -> new ModelInfo(m, config.name(), "simulated", parameterSize(m), "none", 0, true))
                .toList());
    }

    private static String parameterSize(String model) {
        String[] parts = model.split("-");
        String last = parts[parts.length - 1].toUpperCase(java.util.Locale.ROOT);
        return last.matches("\\d+(\\.\\d+)?[BM]") ? last : "";
    }

    @Override
    public BackendCall start(InferenceRequest request, TokenSink sink) {
        if (!config.models().contains(request.model())) {
            BridgeException e = new BridgeException(ErrorCode.NO_SUCH_MODEL,
                    "model '" + request.model() + "' not found on " + config.name());
            return new Run(request, sink, e);
        }
        return new Run(request, sink, null);
    }

    @Override
    public Future<Void> close() {
        return Future.succeededFuture();
    }

    /** One simulated generation: one timer per token. */
    private final class Run implements BackendCall {

        private final Promise<InferenceResult> promise = Promise.promise();
        private final InferenceRequest request;
        private final TokenSink sink;
        private final int tokens;
        private final List<String> script;
        private final long started = System.nanoTime();
        private final StringBuilder text = new StringBuilder();
        private int emitted;
        private long timer = -1;

        Run(InferenceRequest request, TokenSink sink, BridgeException immediate) {
            this.request = request;
            this.sink = sink;
            this.script = reviewScript(request);
            this.tokens = script != null ? script.size() : request.maxTokens().orElse(config.defaultCompletionTokens());
            if (immediate != null) {
                promise.fail(immediate);
                return;
            }
            schedule(Math.max(1, config.firstTokenLatency().toMillis()));
        }

        private synchronized void schedule(long delayMs) {
            if (!promise.future().isComplete()) {
                timer = vertx.setTimer(delayMs, id -> step());
            }
        }

        private void step() {
            String piece;
            synchronized (this) {
                if (promise.future().isComplete()) {
                    return;
                }
                piece = script != null ? script.get(emitted)
                        : emitted == 0 ? BANNER : " " + WORDS[(emitted - 1) % WORDS.length];
                emitted++;
                text.append(piece);
            }
            if (request.stream()) {
                sink.onToken(piece);
            }
            if (emitted < tokens) {
                schedule(Math.max(1, Math.round(1000 / config.tokensPerSecond())));
                return;
            }
            if (!request.stream()) {
                sink.onToken(text.toString());
            }
            long total = System.nanoTime() - started;
            long load = config.firstTokenLatency().toNanos();
            promise.tryComplete(new InferenceResult(request.model(), config.name(), text.toString(),
                    request.maxTokens().isPresent() ? "length" : "stop",
                    new Usage(promptTokens(request), emitted, total, 0, Math.min(load, total),
                            Math.max(0, total - load))));
        }

        @Override
        public Future<InferenceResult> result() {
            return promise.future();
        }

        @Override
        public void cancel() {
            long id;
            synchronized (this) {
                id = timer;
            }
            if (promise.tryFail(BridgeException.cancelled()) && id >= 0) {
                vertx.cancelTimer(id);
            }
        }
    }

    /**
     * When asked to rank labelled responses (a council review, which ends with "FINAL RANKING:"),
     * a simulated model answers in that format, ranking the labels it was shown in an order fixed
     * by the model name, so simulated councils exercise the whole review path. Still labelled.
     */
    private static List<String> reviewScript(InferenceRequest request) {
        String last = request.messages().isEmpty() ? request.prompt()
                : request.messages().get(request.messages().size() - 1).content();
        if (!last.contains("FINAL RANKING")) {
            return null;
        }
        java.util.TreeSet<String> labels = new java.util.TreeSet<>();
        java.util.regex.Matcher m = RESPONSE_LABEL.matcher(last);
        while (m.find()) {
            labels.add(m.group());
        }
        if (labels.isEmpty()) {
            return null;
        }
        List<String> order = new java.util.ArrayList<>(labels);
        java.util.Collections.shuffle(order, new java.util.Random(request.model().hashCode()));
        List<String> out = new java.util.ArrayList<>(List.of(BANNER, " A simulated review, no model read the answers.",
                "\n\nFINAL RANKING:"));
        for (int i = 0; i < order.size(); i++) {
            out.add("\n" + (i + 1) + ". " + order.get(i));
        }
        return out;
    }

    private static final Pattern RESPONSE_LABEL = Pattern.compile("Response [A-Z]\\b");

    private static long promptTokens(InferenceRequest request) {
        StringBuilder all = new StringBuilder(request.prompt());
        for (ChatMessage m : request.messages()) {
            all.append(' ').append(m.content());
        }
        String trimmed = all.toString().trim();
        return trimmed.isEmpty() ? 0 : SPACE.split(trimmed).length;
    }
}
