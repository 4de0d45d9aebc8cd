package org.council.api.ollama;

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
import org.council.api.http.ApiServer;
import org.council.bridge.ModelInfo;

/** An {@link OllamaApi} over a {@link FakeChatGateway}, served on 127.0.0.1 port 0, and a client for it. */
final class OllamaFixture implements AutoCloseable {

    static final List<ModelInfo> MODELS = List.of(
            new ModelInfo("llama3:latest", "ollama", "llama", "8.0B", "Q4_0", 4_661_224_676L, false),
            new ModelInfo("simulated-qwen-7b", "simulated", "simulated", "7B", "none", 0, true),
            new ModelInfo("council", "council", "council", "", "", 0, true));

    final FakeChatGateway gateway = new FakeChatGateway(MODELS);
    final WebClient client;
    final int port;
    private final ObjectMapper mapper = new ObjectMapper();

    OllamaFixture(Vertx vertx) throws Exception {
        ApiServer server = new ApiServer(new OllamaApi(gateway, "0.1.0-test")::router, "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = WebClient.create(vertx);
    }

    /** One answer: status, content type, raw body, and each NDJSON line (one for a plain JSON body) parsed. */
    record Reply(int status, String contentType, String raw, List<JsonNode> lines, String retryAfter) {
        JsonNode json() {
            return lines.get(0);
        }

        JsonNode last() {
            return lines.get(lines.size() - 1);
        }
    }

    Reply get(String path) {
        return call(HttpMethod.GET, path, null);
    }

    Reply post(String path, String body) {
        return call(HttpMethod.POST, path, body);
    }

    Reply call(HttpMethod method, String path, String body) {
        try {
            var req = client.request(method, port, "127.0.0.1", path);
            HttpResponse<Buffer> r = (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)))
                    .await(10, TimeUnit.SECONDS);
            String raw = r.bodyAsString() == null ? "" : r.bodyAsString();
            String type = r.getHeader("content-type");
            List<JsonNode> lines = new ArrayList<>();
            if (type != null && (type.startsWith("application/json") || type.startsWith(OllamaExchange.NDJSON))) {
                for (String line : raw.split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(mapper.readTree(line));
                    }
                }
            }
            return new Reply(r.statusCode(), type, raw, lines, r.getHeader("retry-after"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer for " + path, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
