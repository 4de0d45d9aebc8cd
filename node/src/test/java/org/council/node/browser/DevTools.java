package org.council.node.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Chrome DevTools Protocol session with one page, over the page's WebSocket: navigate, evaluate
 * JavaScript (awaiting promises), wait for a condition in the page, take screenshots. The page's
 * console messages and uncaught exceptions are kept for failure messages. Thread-safe.
 */
public final class DevTools implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;

    private DevTools(URI page) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(page, new Listener())
                .get(30, TimeUnit.SECONDS);
        call("Runtime.enable", new JsonObject());
        call("Page.enable", new JsonObject());
    }

    /** Connects to a page target's {@code webSocketDebuggerUrl}. */
    static DevTools connect(URI page) {
        try {
            return new DevTools(page);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a DevTools session with " + page + ": " + e, e);
        }
    }

    /** Sends one command and returns its result; a protocol error is thrown. */
    public JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String message = new JsonObject().put("id", id).put("method", method).put("params", params).encode();
        try {
            synchronized (socket) { // one outstanding send at a time, as WebSocket requires
                socket.sendText(message, true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonObject response = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.containsKey("error")) {
                throw new IllegalStateException(method + " failed: " + response.getJsonObject("error").encode());
            }
            return response.getJsonObject("result", new JsonObject());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer: " + e + consoleSuffix(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Loads the URL in the page (returns when navigation is committed, not when the page is done). */
    public void navigate(String url) {
        JsonObject r = call("Page.navigate", new JsonObject().put("url", url));
        if (r.containsKey("errorText")) {
            throw new IllegalStateException("cannot load " + url + ": " + r.getString("errorText"));
        }
    }

    /**
     * Evaluates a JavaScript expression in the page, awaits it if it is a promise and returns its
     * JSON value (JsonObject, JsonArray, String, Number, Boolean or null). A thrown error is rethrown.
     */
    public Object evaluate(String expression) {
        JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (r.containsKey("exceptionDetails")) {
            JsonObject d = r.getJsonObject("exceptionDetails");
            JsonObject ex = d.getJsonObject("exception", new JsonObject());
            throw new IllegalStateException("the page threw: " + ex.getString("description", d.getString("text"))
                    + consoleSuffix());
        }
        return r.getJsonObject("result").getValue("value");
    }

    /** Polls a boolean expression in the page until it is true; fails with the message after the timeout. */
    public void awaitTrue(String expression, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(evaluate(expression))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get() + consoleSuffix());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Sets the viewport (CSS pixels). */
    public void viewport(int width, int height) {
        call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** A PNG of the whole page, beyond the viewport. */
    public byte[] screenshot() {
        JsonObject size = call("Page.getLayoutMetrics", new JsonObject()).getJsonObject("cssContentSize");
        JsonObject clip = new JsonObject().put("x", 0).put("y", 0).put("width", size.getDouble("width"))
                .put("height", size.getDouble("height")).put("scale", 1);
        JsonObject r = call("Page.captureScreenshot", new JsonObject().put("format", "png")
                .put("captureBeyondViewport", true).put("clip", clip));
        return Base64.getDecoder().decode(r.getString("data"));
    }

    /** What the page logged and threw so far, one line each. */
    public List<String> console() {
        return List.copyOf(console);
    }

    private String consoleSuffix() {
        return console.isEmpty() ? "" : "\npage console:\n  " + String.join("\n  ", console);
    }

    private void onMessage(JsonObject m) {
        Integer id = m.getInteger("id");
        if (id != null) {
            CompletableFuture<JsonObject> reply = pending.get(id);
            if (reply != null) {
                reply.complete(m);
            }
            return;
        }
        JsonObject params = m.getJsonObject("params", new JsonObject());
        switch (m.getString("method", "")) {
            case "Runtime.consoleAPICalled" -> console.add(params.getString("type") + ": "
                    + params.getJsonArray("args", new JsonArray()).stream()
                    .map(a -> String.valueOf(((JsonObject) a).getValue("value", ((JsonObject) a).getString("description"))))
                    .reduce((a, b) -> a + " " + b).orElse(""));
            case "Runtime.exceptionThrown" -> {
                JsonObject d = params.getJsonObject("exceptionDetails", new JsonObject());
                console.add("uncaught: " + d.getJsonObject("exception", new JsonObject())
                        .getString("description", d.getString("text")));
            }
            default -> {
                // other events are not needed
            }
        }
    }

    private void failAll(Throwable cause) {
        pending.values().forEach(f -> f.completeExceptionally(cause));
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                onMessage(new JsonObject(message));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            failAll(new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failAll(error);
        }
    }
}
