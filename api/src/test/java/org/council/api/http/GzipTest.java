package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipTest {

    @Test
    void anyInputRoundTrips() throws Exception {
        Random random = new Random(3);
        for (int n : new int[] {0, 1, 100, 70_000, 300_000}) {
            byte[] noise = new byte[n + 10];
            random.nextBytes(noise);
            byte[] text = new byte[n];
            Arrays.fill(text, (byte) 'a');
            assertThat(gunzip(Gzip.compress(noise, n).getBytes())).isEqualTo(Arrays.copyOf(noise, n));
            assertThat(gunzip(Gzip.compress(text, n).getBytes())).isEqualTo(text);
        }
    }

    @Test
    void acceptEncodingIsRead() {
        assertThat(Gzip.accepted("gzip")).isTrue();
        assertThat(Gzip.accepted("br;q=1.0, gzip;q=0.8, *;q=0.1")).isTrue();
        assertThat(Gzip.accepted(" * ")).isTrue();
        assertThat(Gzip.accepted("x-gzip")).isFalse();
        assertThat(Gzip.accepted("gzip;q=0")).isFalse();
        assertThat(Gzip.accepted("gzip; q=0.000")).isFalse();
        assertThat(Gzip.accepted("")).isFalse();
        assertThat(Gzip.accepted(null)).isFalse();
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
