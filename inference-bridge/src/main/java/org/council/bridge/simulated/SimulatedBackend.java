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
 * reported with {@code simulated = true}. Asked for tools, a JSON format, thinking or embeddings it
 * answers in the right shape ({@link SimulatedAnswer}), still saying it is simulated.
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

    /**
     * Everything it implements, in shape if not in substance: tool calls valid under the offered
     * schema, JSON valid under a requested one, a thinking part, deterministic embeddings; images
     * are accepted (and, like everything else, not looked at).
     */
    static final List<String> CAPABILITIES = List.of("completion", "tools", "thinking", "embedding", "vision");

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
                .map(m -> new ModelInfo(m, config.name(), "simulated", parameterSize(m), "none", 0, true, CAPABILITIES))
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

    /** One simulated generation: one timer per token (thinking pieces first), or one timer for embeddings. */
    private final class Run implements BackendCall {

        private final Promise<InferenceResult> promise = Promise.promise();
        private final InferenceRequest request;
        private final TokenSink sink;
        private final SimulatedAnswer answer;
        private final int tokens;
        private final long started = System.nanoTime();
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder thinking = new StringBuilder();
        private int emitted;
        private long timer = -1;

        Run(InferenceRequest request, TokenSink sink, BridgeException immediate) {
            this.request = request;
            this.sink = sink;
            this.answer = SimulatedAnswer.plan(request, reviewScript(request));
            int textTokens = answer.text() != null ? answer.text().size()
                    : request.maxTokens().orElse(config.defaultCompletionTokens());
            this.tokens = request.kind() == InferenceRequest.Kind.EMBED ? 0 : answer.thinking().size() + textTokens;
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
            if (request.kind() == InferenceRequest.Kind.EMBED) {
                embed();
                return;
            }
            String piece;
            boolean isThought;
            synchronized (this) {
                if (promise.future().isComplete() || tokens == 0) {
                    piece = null;
                    isThought = false;
                } else {
                    isThought = emitted < answer.thinking().size();
                    int i = emitted - answer.thinking().size();
                    piece = isThought ? answer.thinking().get(emitted) : answer.text() != null ? answer.text().get(i)
                            : i == 0 ? BANNER : " " + WORDS[(i - 1) % WORDS.length];
                    emitted++;
                    (isThought ? thinking : text).append(piece);
                }
            }
            if (piece != null && request.stream()) {
                if (isThought) {
                    sink.onThinking(piece);
                } else {
                    sink.onToken(piece);
                }
            }
            if (emitted < tokens) {
                schedule(Math.max(1, Math.round(1000 / config.tokensPerSecond())));
                return;
            }
            if (!request.stream() && !text.isEmpty()) {
                sink.onToken(text.toString());
            }
            long total = System.nanoTime() - started;
            long load = config.firstTokenLatency().toNanos();
            boolean cut = answer.text() == null && answer.toolCalls().isEmpty() && request.maxTokens().isPresent();
            promise.tryComplete(new InferenceResult(request.model(), config.name(), text.toString(),
                    cut ? "length" : "stop",
                    new Usage(promptTokens(request), emitted, total, 0, Math.min(load, total),
                            Math.max(0, total - load)), thinking.toString(), answer.toolCalls(), List.of()));
        }

        private void embed() {
            List<double[]> vectors = request.features().input().stream()
                    .map(t -> SimulatedJson.embedding(request.model(), t)).toList();
            long total = System.nanoTime() - started;
            long words = request.features().input().stream().mapToLong(t -> t.isBlank() ? 0
                    : SPACE.split(t.trim()).length).sum();
            promise.tryComplete(new InferenceResult(request.model(), config.name(), "", "stop",
                    new Usage(words, 0, total, 0, total, 0), "", List.of(), vectors));
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
