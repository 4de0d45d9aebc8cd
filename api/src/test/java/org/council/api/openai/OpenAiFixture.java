package org.council.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.council.api.http.ApiServer;
import org.council.api.ollama.OllamaApi;
import org.council.bridge.ModelInfo;

/**
 * The Ollama-compatible router (so {@code /v1} as mounted there) over a {@link ScriptedGateway},
 * served on 127.0.0.1 port 0, and a client for it.
 */
final class OpenAiFixture implements AutoCloseable {

    static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("llama3:latest", "ollama", "llama", "8.0B", "Q4_0", 4_661_224_676L, false),
            new ModelInfo("simulated-qwen-7b", "simulated", "simulated", "7B", "none", 0, true),
            new ModelInfo("council", "council", "council", "", "", 0, true));

    final ScriptedGateway gateway = new ScriptedGateway(MODELS);
    final WebClient client;
    final int port;
    private final ObjectMapper mapper = new ObjectMapper();

    OpenAiFixture(Vertx vertx) throws Exception {
        ApiServer server = new ApiServer(new OllamaApi(gateway, "0.1.0-test")::router, "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = WebClient.create(vertx);
    }

    /**
     * One answer: status, content type, raw body, the JSON body (or null), and for server-sent
     * events each {@code data:} payload in order ({@code [DONE]} kept as text).
     */
    record Reply(int status, String contentType, String raw, JsonNode json, List<String> events,
                 String retryAfter) {
        JsonNode error() {
            return json.get("error");
        }
    }

    Reply get(String path) {
        return call(HttpMethod.GET, path, null);
    }

    Reply post(String path, String body) {
        return call(HttpMethod.POST, path, body);
    }

    JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply call(HttpMethod method, String path, String body) {
        try {
            var req = client.request(method, port, "127.0.0.1", path);
            HttpResponse<Buffer> r = (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)))
                    .await(10, TimeUnit.SECONDS);
            String raw = r.bodyAsString() == null ? "" : r.bodyAsString();
            String type = r.getHeader("content-type");
            JsonNode json = type != null && type.startsWith("application/json") ? parse(raw) : null;
            List<String> events = new ArrayList<>();
            if (type != null && type.startsWith("text/event-stream")) {
                for (String block : raw.split("\n\n")) {
                    if (!block.isBlank()) {
                        if (!block.startsWith("data: ")) {
                            throw new AssertionError("not a data event: " + block);
                        }
                        events.add(block.substring(6));
                    }
                }
                if (!raw.endsWith("\n\n")) {
                    throw new AssertionError("a stream must end with a blank line: " + raw);
                }
            }
            return new Reply(r.statusCode(), type, raw, json, events, r.getHeader("retry-after"));
        } catch (TimeoutException e) {
            throw new AssertionError("no answer for " + path, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
