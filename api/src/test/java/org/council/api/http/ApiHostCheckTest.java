package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.junit5.VertxExtension;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API on loopback refuses a rebinding {@code Host}, even with the right token. */
@ExtendWith(VertxExtension.class)
class ApiHostCheckTest {

    @Test
    void aForeignHostIsForbiddenAndALocalOneServed(Vertx vertx, @TempDir Path dir) throws Exception {
        try (ApiFixture net = new ApiFixture(vertx, dir, null)) {
            RawHttp.Reply foreign = RawHttp.send(net.port, "GET", "/api/v1/node", Map.of("Host", "evil.example"), null);
            RawHttp.Reply acting = RawHttp.send(net.port, "POST", "/api/v1/council", Map.of("Host",
                    "evil.example:" + net.port, "Authorization", "Bearer " + net.token.hex()), "{\"question\":\"q\"}");
            RawHttp.Reply local = RawHttp.send(net.port, "GET", "/api/v1/node", Map.of("Host", "localhost"), null);

            assertThat(foreign.status()).isEqualTo(403);
            JsonNode error = new ObjectMapper().readTree(foreign.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("FORBIDDEN");
            assertThat(error.get("message").asText()).contains("Host");
            assertThat(acting.status()).isEqualTo(403);
            assertThat(local.status()).isEqualTo(200);
        }
    }
}
