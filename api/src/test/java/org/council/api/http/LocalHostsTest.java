package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalHostsTest {

    @Test
    void loopbackBindAddresses() {
        for (String h : List.of("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST")) {
            assertThat(LocalHosts.isLoopback(h)).as(h).isTrue();
        }
        for (String h : List.of("0.0.0.0", "::", "192.168.1.2", "my-box", "", "localhost.example")) {
            assertThat(LocalHosts.isLoopback(h)).as(h).isFalse();
        }
    }

    @Test
    void hostHeadersNamingThisMachine() {
        for (String h : List.of("", "localhost", "LocalHost:11435", "127.0.0.1:80", "[::1]", "[::1]:11435", "::1",
                "10.1.2.3", "172.16.0.1", "192.168.0.10:8080", "[fd00::1]:80", "0.0.0.0", "[::]", "a.localhost",
                "printer.local", "svc.internal:9000", "localhost.")) {
            assertThat(LocalHosts.allowedHost(LocalHosts.hostPart(h))).as(h).isTrue();
        }
        for (String h : List.of("evil.example", "evil.example:11435", "8.8.8.8", "[2001:db8::1]", "172.32.0.1",
                "localhost.evil.example", "local", "internal.example", "127.0.0.1.nip.io", "300.1.1.1")) {
            assertThat(LocalHosts.allowedHost(LocalHosts.hostPart(h))).as(h).isFalse();
        }
    }
}
