package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.council.api.http.ApiServer;
import org.council.api.http.Origins;
import org.council.api.http.RawHttp;
import org.council.api.http.RawHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint's browser guard, over a raw socket ({@link RawHttp}) so that {@code Host} and
 * {@code Origin} are exactly what a browser (or an attacking page) would send.
 */
@ExtendWith(VertxExtension.class)
class OllamaGuardTest {

    private static final String CHAT = "{\"model\":\"llama3:latest\",\"stream\":false,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String TOKEN = "s3cret-token-for-tests";
    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeChatGateway gateway = new FakeChatGateway(OllamaFixture.MODELS);

    @Test
    void aCrossOriginTextPlainPostIsRefusedBeforeAnyModelIsCalled(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());

        Reply r = send(port, "POST", "/api/chat", Map.of("Origin", "https://evil.example",
                "Content-Type", "text/plain;charset=UTF-8"), CHAT);

        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).contains("origin");
        assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void aForeignHostIsRefusedAsDnsRebinding(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());

        Reply chat = send(port, "POST", "/api/chat", Map.of("Host", "evil.example:" + port,
                "Content-Type", "text/plain"), CHAT);
        Reply tags = send(port, "GET", "/api/tags", Map.of("Host", "evil.example"), null);

        assertThat(chat.status()).isEqualTo(403);
        assertThat(json(chat).get("error").asText()).contains("Host");
        assertThat(tags.status()).isEqualTo(403);
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void localHostNamesPass(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());

        for (String host : List.of("localhost:" + port, "127.0.0.1", "[::1]:" + port, "192.168.1.20", "10.0.0.7:80",
                "box.local", "app.localhost", "db.internal", "0.0.0.0")) {
            assertThat(send(port, "GET", "/api/version", Map.of("Host", host), null).status()).as(host).isEqualTo(200);
        }
        for (String host : List.of("8.8.8.8", "localhost.evil.example", "example.com:" + port)) {
            assertThat(send(port, "GET", "/api/version", Map.of("Host", host), null).status()).as(host).isEqualTo(403);
        }
    }

    @Test
    void boundBeyondLoopbackAnyHostPasses(Vertx vertx) throws Exception {
        // listens on loopback for the test, but is configured as a 0.0.0.0 bind would be
        int port = serve(vertx, new OllamaAccess("0.0.0.0", Origins.of(List.of()), Optional.of(TOKEN)));

        Reply r = send(port, "GET", "/api/version", Map.of("Host", "council.example.org",
                "Authorization", "Bearer " + TOKEN), null);

        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void loopbackOriginsAreServedWithCorsHeaders(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());

        for (String origin : List.of("http://localhost:3000", "http://127.0.0.1:8080", "https://localhost",
                "http://[::1]:5173", "app://obsidian.md", "vscode-webview://abc")) {
            Reply r = send(port, "POST", "/api/chat", Map.of("Origin", origin, "Content-Type", "application/json"), CHAT);
            assertThat(r.status()).as(origin).isEqualTo(200);
            assertThat(r.header("Access-Control-Allow-Origin")).as(origin).isEqualTo(origin);
            assertThat(json(r).get("message").get("content").asText()).isEqualTo("Hello");
        }
        assertThat(gateway.requests).hasSize(6);
        Reply streamed = send(port, "POST", "/api/generate", Map.of("Origin", "http://localhost:3000"),
                "{\"model\":\"llama3\",\"prompt\":\"hi\"}");
        Reply unknown = send(port, "POST", "/api/pull", Map.of("Origin", "http://localhost:3000"), "{}");
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredAndFromAForeignOneRefused(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());
        Map<String, String> preflight = Map.of("Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,authorization");

        Reply ok = send(port, "OPTIONS", "/api/chat", with(preflight, "Origin", "http://localhost:3000"), null);
        Reply no = send(port, "OPTIONS", "/api/chat", with(preflight, "Origin", "https://evil.example"), null);

        assertThat(ok.status()).isEqualTo(204);
        assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(ok.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(ok.header("Access-Control-Allow-Headers")).contains("Authorization").contains("Content-Type");
        assertThat(no.status()).isEqualTo(403);
        assertThat(no.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aConfiguredOriginIsServed(Vertx vertx) throws Exception {
        int port = serve(vertx, new OllamaAccess("127.0.0.1",
                Origins.of(List.of("https://chat.example.org", "chrome-extension://*")), Optional.empty()));

        Reply site = send(port, "POST", "/api/chat", Map.of("Origin", "https://chat.example.org"), CHAT);
        Reply ext = send(port, "GET", "/api/tags", Map.of("Origin", "chrome-extension://abcdef"), null);
        Reply other = send(port, "POST", "/api/chat", Map.of("Origin", "https://chat.example.org.evil"), CHAT);

        assertThat(site.status()).isEqualTo(200);
        assertThat(site.header("Access-Control-Allow-Origin")).isEqualTo("https://chat.example.org");
        assertThat(ext.status()).isEqualTo(200);
        assertThat(other.status()).isEqualTo(403);
    }

    @Test
    void withATokenRequestsWithoutItGet401InOllamasShape(Vertx vertx) throws Exception {
        int port = serve(vertx, new OllamaAccess("127.0.0.1", Origins.of(List.of()), Optional.of(TOKEN)));

        Reply none = send(port, "POST", "/api/chat", Map.of(), CHAT);
        Reply wrong = send(port, "POST", "/api/chat", Map.of("Authorization", "Bearer not-" + TOKEN), CHAT);
        Reply right = send(port, "POST", "/api/chat", Map.of("Authorization", "Bearer " + TOKEN), CHAT);

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(json(none).get("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(json(wrong).get("error").asText()).isEqualTo("unauthorized");
        assertThat(right.status()).isEqualTo(200);
        assertThat(json(right).get("message").get("content").asText()).isEqualTo("Hello");
        assertThat(gateway.requests).hasSize(1);
    }

    @Test
    void withATokenAPreflightPassesWithoutItAndTheCallNeedsIt(Vertx vertx) throws Exception {
        int port = serve(vertx, new OllamaAccess("127.0.0.1", Origins.of(List.of()), Optional.of(TOKEN)));

        Reply preflight = send(port, "OPTIONS", "/api/chat", Map.of("Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST"), null);
        Reply call = send(port, "POST", "/api/chat", Map.of("Origin", "http://localhost:3000"), CHAT);

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(call.status()).isEqualTo(401);
        // the page may read why it was refused
        assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    }

    @Test
    void openAiRoutesAreRefusedInOpenAisErrorShape(Vertx vertx) throws Exception {
        int port = serve(vertx, new OllamaAccess("127.0.0.1", Origins.of(List.of()), Optional.of(TOKEN)));

        Reply r = send(port, "GET", "/v1/models", Map.of("Authorization", "Bearer wrong"), null);

        assertThat(r.status()).isEqualTo(401);
        JsonNode error = json(r).get("error");
        assertThat(error.get("message").asText()).isEqualTo("unauthorized");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.has("param")).isTrue();
    }

    @Test
    void aRefusalLeavesAKeptAliveConnectionUsable(Vertx vertx) throws Exception {
        int port = serve(vertx, OllamaAccess.loopback());
        WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
        try {
            for (int i = 0; i < 3; i++) {
                int refused = client.post(port, "127.0.0.1", "/api/chat").putHeader("Origin", "https://evil.example")
                        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer(CHAT))
                        .await(10, TimeUnit.SECONDS).statusCode();
                int served = client.post(port, "127.0.0.1", "/api/chat").sendBuffer(Buffer.buffer(CHAT))
                        .await(10, TimeUnit.SECONDS).statusCode();
                assertThat(refused).isEqualTo(403);
                assertThat(served).isEqualTo(200);
            }
        } finally {
            client.close();
        }
        assertThat(gateway.requests).hasSize(3);
    }

    @Test
    void theTokenNeverShowsInToString() {
        OllamaAccess access = new OllamaAccess("0.0.0.0", Origins.of(List.of()), Optional.of(TOKEN));
        assertThat(access.toString()).doesNotContain(TOKEN).contains("hidden");
    }

    private int serve(Vertx vertx, OllamaAccess access) throws Exception {
        ApiServer server = new ApiServer(new OllamaApi(gateway, "0.1.0-test", access)::router, "127.0.0.1", 0);
        vertx.deployVerticle(server).await(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new LinkedHashMap<>(m);
        out.put(k, v);
        return out;
    }

    private JsonNode json(Reply r) throws IOException {
        return mapper.readTree(r.body());
    }

    private static Reply send(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        return RawHttp.send(port, method, path, headers, body);
    }
}
