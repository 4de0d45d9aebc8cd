package org.council.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @Test
    void createdOwnerOnlyAndStableAcrossLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("api.token");
        ApiToken first = ApiToken.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.hex()).matches("[0-9a-f]{64}");
        assertThat(ApiToken.loadOrCreate(file).hex()).isEqualTo(first.hex());
        assertThat(ApiToken.load(file).hex()).isEqualTo(first.hex());
        assertThat(first.toString()).doesNotContain(first.hex());
        assertThat(ApiToken.generate().hex()).isNotEqualTo(first.hex());
    }

    @Test
    void matchesOnlyItsOwnBearerHeader() {
        ApiToken t = ApiToken.generate();
        assertThat(t.matchesHeader("Bearer " + t.hex())).isTrue();
        assertThat(t.matchesHeader("bearer " + t.hex())).isTrue();
        assertThat(t.matchesHeader(null)).isFalse();
        assertThat(t.matchesHeader(t.hex())).isFalse();
        assertThat(t.matchesHeader("Basic " + t.hex())).isFalse();
        assertThat(t.matchesHeader("Bearer " + ApiToken.generate().hex())).isFalse();
        assertThat(t.matchesHeader("Bearer " + t.hex().substring(1))).isFalse();
        assertThat(t.matchesHeader("Bearer ")).isFalse();
    }

    @Test
    void refusesAReadableOrMalformedFile(@TempDir Path dir) throws Exception {
        Path open = dir.resolve("open.token");
        ApiToken.loadOrCreate(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ApiToken.load(open)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("accessible by other users").hasMessageContaining("chmod 600");
        Path bad = dir.resolve("bad.token");
        Files.writeString(bad, "not-a-token\n");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> ApiToken.load(bad)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> ApiToken.load(dir.resolve("missing"))).isInstanceOf(CryptoException.class)
                .hasMessageContaining("council init");
    }
}
