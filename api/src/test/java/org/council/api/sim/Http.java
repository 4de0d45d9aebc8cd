package org.council.api.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.council.api.http.ApiServer;

/** A router served on 127.0.0.1 port 0 and a blocking client for it, for tests. */
public final class Http implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final WebClient client;
    private final int port;

    /** Status, body, and the body's JSON lines (NDJSON) or server-sent events' data, parsed. */
    public record Reply(int status, String raw, List<JsonNode> lines) {
        public JsonNode json() {
            return lines.get(0);
        }

        public JsonNode last() {
            return lines.get(lines.size() - 1);
        }
    }

    public Http(Vertx vertx, Function<Vertx, Router> router) throws Exception {
        ApiServer server = new ApiServer(router, "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        port = server.actualPort();
        client = WebClient.create(vertx);
    }

    public Reply call(HttpMethod method, String path, String body) {
        try {
            HttpResponse<Buffer> r = (body == null ? client.request(method, port, "127.0.0.1", path).send()
                    : client.request(method, port, "127.0.0.1", path).sendBuffer(Buffer.buffer(body)))
                    .await(30, TimeUnit.SECONDS);
            String raw = r.bodyAsString() == null ? "" : r.bodyAsString();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : raw.split("\n")) {
                String l = line.startsWith("data: ") ? line.substring(6) : line;
                if (!l.isBlank() && !l.equals("[DONE]")) {
                    lines.add(MAPPER.readTree(l));
                }
            }
            return new Reply(r.statusCode(), raw, lines);
        } catch (Exception e) {
            throw new AssertionError("no answer for " + path, e);
        }
    }

    public Reply post(String path, String body) {
        return call(HttpMethod.POST, path, body);
    }

    @Override
    public void close() {
        client.close();
    }
}
