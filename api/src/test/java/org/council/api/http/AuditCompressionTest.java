package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Event pages and events are gzipped when, and only when, the client's Accept-Encoding allows it. */
@ExtendWith(VertxExtension.class)
class AuditCompressionTest {

    private ApiFixture net;
    private HttpClient http;

    @BeforeEach
    void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
        net = new ApiFixture(vertx, dir, null);
        http = vertx.createHttpClient(); // decompresses nothing: the test sees the bytes sent
    }

    @AfterEach
    void tearDown() {
        http.close();
        net.close();
    }

    @Test
    void pagesAndEventsAreGzippedWhenAsked() throws Exception {
        String page = "/api/v1/feeds/" + net.a.id().hex() + "/events?from=2&limit=5";
        String event = "/api/v1/events/" + net.a.events().get(3).id().hex();
        for (String path : new String[] {page, event}) {
            Answer plain = get(path, null);
            assertThat(plain.encoding()).isNull();
            assertThat(plain.vary()).isEqualToIgnoringCase("accept-encoding");
            for (String accept : new String[] {"gzip", "deflate, gzip;q=0.5", "br, *", "GZIP"}) {
                Answer zipped = get(path, accept);
                assertThat(zipped.encoding()).as(accept).isEqualTo("gzip");
                assertThat(zipped.body().length()).isLessThan(plain.body().length());
                assertThat(gunzip(zipped.body())).isEqualTo(plain.body().getBytes());
            }
            for (String refused : new String[] {"identity", "gzip;q=0", "deflate", "br"}) {
                assertThat(get(path, refused).encoding()).as(refused).isNull();
            }
        }
    }

    @Test
    void errorsAreNotCompressed() throws Exception {
        Answer missing = get("/api/v1/events/" + "00".repeat(32), "gzip");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.encoding()).isNull();
        assertThat(missing.body().toString()).contains("\"error\"");
    }

    private record Answer(int status, String encoding, String vary, Buffer body) {
    }

    private Answer get(String path, String acceptEncoding) throws Exception {
        return http.request(HttpMethod.GET, net.port, "127.0.0.1", path)
                .compose(req -> {
                    if (acceptEncoding != null) {
                        req.putHeader("accept-encoding", acceptEncoding);
                    }
                    return req.send();
                })
                .compose((HttpClientResponse r) -> r.body().map(b -> new Answer(r.statusCode(),
                        r.getHeader("content-encoding"), r.getHeader("vary"), b)))
                .await(30, TimeUnit.SECONDS);
    }

    private static byte[] gunzip(Buffer body) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
            return in.readAllBytes();
        }
    }
}
