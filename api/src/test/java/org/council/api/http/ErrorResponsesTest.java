package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.council.api.NodeInfo;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on every endpoint gets a 4xx JSON error with a stable code; never a 500. */
@ExtendWith(VertxExtension.class)
class ErrorResponsesTest {

    @Test
    void badInputGetsStableClientErrors(Vertx vertx, @TempDir Path dir) throws Exception {
        try (ApiFixture net = new ApiFixture(vertx, dir, null)) {
            String a = net.a.id().hex();
            String unknown = NodeKeyPair.generate().id().hex();
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("/api/v1/feeds/zz/events", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + "g".repeat(64) + "/events", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a.toUpperCase() + "/events", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "00/events", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + unknown + "/events", "NOT_FOUND");
            cases.put("/api/v1/feeds/" + a + "/events?from=0", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?from=-1", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?from=abc", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?from=99999999999999999999", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?limit=abc", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?limit=0", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?limit=1001", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?limit=100000", "BAD_REQUEST");
            cases.put("/api/v1/feeds/" + a + "/events?limit=1&limit=2", "BAD_REQUEST");
            cases.put("/api/v1/events/xyz", "BAD_REQUEST");
            cases.put("/api/v1/events/" + "0".repeat(63), "BAD_REQUEST");
            cases.put("/api/v1/events/" + "ab".repeat(32), "NOT_FOUND");
            cases.put("/api/v1/accounts/123", "BAD_REQUEST");
            cases.put("/api/v1/accounts/" + unknown, "NOT_FOUND");
            cases.put("/api/v1/nope", "NOT_FOUND");
            cases.put("/api/v1/feeds/" + a, "NOT_FOUND");
            cases.put("/nope", "NOT_FOUND");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                assertError(net.get(c.getKey()), c.getValue(), c.getKey());
            }
            assertError(net.call(HttpMethod.POST, "/api/v1/feeds"), "METHOD_NOT_ALLOWED", "POST /feeds");
            assertError(net.call(HttpMethod.DELETE, "/api/v1/events/" + "ab".repeat(32)), "METHOD_NOT_ALLOWED",
                    "DELETE /events");
        }
    }

    @Test
    void anUnexpectedFailureIsInternalWithoutDetail(Vertx vertx, @TempDir Path dir) throws Exception {
        NodeInfo broken = new NodeInfo() {
            @Override
            public NodeId id() {
                throw new IllegalStateException("secret internal detail");
            }

            @Override
            public String version() {
                return "x";
            }

            @Override
            public int peerCount() {
                return 0;
            }
        };
        try (ApiFixture net = new ApiFixture(vertx, dir, broken)) {
            ApiFixture.Reply r = net.get("/api/v1/node");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("INTERNAL");
            assertThat(r.raw()).doesNotContain("secret").doesNotContain("Exception").doesNotContain("at org.");
            assertThat(net.get("/api/v1/feeds").status()).isEqualTo(200);
        }
    }

    private static void assertError(ApiFixture.Reply r, String code, String what) {
        int status = ErrorCode.valueOf(code).httpStatus();
        assertThat(r.status()).as(what).isEqualTo(status);
        assertThat(r.contentType()).as(what).startsWith("application/json");
        assertThat(r.json().at("/error/code").asText()).as(what).isEqualTo(code);
        assertThat(r.json().at("/error/message").asText()).as(what).isNotBlank();
        assertThat(r.raw()).as(what).doesNotContain("Exception");
    }
}
