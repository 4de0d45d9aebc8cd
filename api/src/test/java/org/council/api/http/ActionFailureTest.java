package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The acting endpoints map typed failures to their codes, and nothing else to NO_COUNCIL. */
@ExtendWith(VertxExtension.class)
class ActionFailureTest {

    @Test
    void noCouncilIsTypedAndAnUnrelatedFailureIsInternal(Vertx vertx, @TempDir Path dir) throws Exception {
        try (ApiFixture net = new ApiFixture(vertx, dir, null)) {
            ApiFixture.Reply none = net.post("/api/v1/council", "{\"question\":\"nobody home\"}");
            assertThat(none.status()).isEqualTo(503);
            assertThat(none.json().at("/error/code").asText()).isEqualTo("NO_COUNCIL");
            assertThat(none.json().at("/error/message").asText()).contains("no council member available");

            ApiFixture.Reply broken = net.post("/api/v1/council", "{\"question\":\"broken node\"}");
            assertThat(broken.status()).isEqualTo(500);
            assertThat(broken.json().at("/error/code").asText()).isEqualTo("INTERNAL");
            assertThat(broken.raw()).doesNotContain("secret");
        }
    }
}
