package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client whose socket is behind pauses the job; the job resumes once the response drains. */
@ExtendWith(VertxExtension.class)
class OllamaBackPressureTest {

    private OllamaFixture api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = new OllamaFixture(vertx);
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void aFullWriteQueuePausesTheJobUntilTheClientHasReadIt(Vertx vertx) throws Exception {
        // 20 MB: more than loopback socket buffers take at once, so writes stay pending
        String token = String.join("", Collections.nCopies(1000, "x"));
        api.gateway.script(FakeChatGateway.Script.hang(Collections.nCopies(20000, token).toArray(String[]::new)));
        HttpClient client = vertx.createHttpClient();
        AtomicLong read = new AtomicLong();
        var response = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                        .setPort(api.port).setURI("/api/chat"))
                .compose(req -> req.send(Buffer.buffer("{\"model\":\"" + OllamaFixture.MODELS.get(0).name()
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
                .await(30, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        response.handler(b -> read.addAndGet(b.length()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((api.gateway.resumes.get() == 0 || read.get() < 1_000_000)
                && System.nanoTime() < deadline) {
            Thread.sleep(20); // waiting on a condition, generously bounded
        }
        assertThat(api.gateway.pauses.get()).isEqualTo(1);
        assertThat(api.gateway.resumes.get()).isEqualTo(1);
        assertThat(read.get()).isGreaterThanOrEqualTo(1_000_000L);
        client.close().await(10, TimeUnit.SECONDS);
    }
}
