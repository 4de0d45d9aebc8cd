package org.council.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

    @TempDir
    Path dir;

    @Test
    void createdKeyFileIsOwnerOnlyAndLoadsTheSameIdentity() throws IOException {
        Path file = dir.resolve("keys/node.key");
        NodeKeyPair keys = NodeKeyPair.generate();

        KeyFiles.create(file, keys);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        NodeKeyPair loaded = KeyFiles.load(file);
        assertThat(loaded.id()).isEqualTo(keys.id());
        byte[] sig = loaded.sign(SignatureDomain.LEDGER_EVENT, new byte[] {9});
        assertThat(new SignatureVerifier().verify(keys.id(), SignatureDomain.LEDGER_EVENT, new byte[] {9}, sig)).isTrue();
    }

    @Test
    void worldReadableKeyFileIsRefusedWithAClearMessage() throws IOException {
        Path file = dir.resolve("node.key");
        KeyFiles.create(file, NodeKeyPair.generate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("accessible by other users")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refusesToOverwriteAnExistingKey() {
        Path file = dir.resolve("node.key");
        KeyFiles.create(file, NodeKeyPair.generate());
        assertThatThrownBy(() -> KeyFiles.create(file, NodeKeyPair.generate()))
                .isInstanceOf(CryptoException.class).hasMessageContaining("already exists");
    }

    @Test
    void malformedOrInconsistentFilesAreRefused() throws IOException {
        Path file = dir.resolve("bad.key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "private-key: 1234\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KeyFiles.load(file)).hasMessageContaining("malformed");

        NodeKeyPair other = NodeKeyPair.generate();
        Files.writeString(file, "node-id: " + other.id().hex() + "\nprivate-key: " + "11".repeat(32) + "\n");
        assertThatThrownBy(() -> KeyFiles.load(file)).hasMessageContaining("does not match");

        assertThatThrownBy(() -> KeyFiles.load(dir.resolve("missing.key"))).hasMessageContaining("does not exist");
    }

    @Test
    void keyFileTextNeverLeaksThroughLoadedToString() {
        Path file = dir.resolve("node.key");
        KeyFiles.create(file, NodeKeyPair.generate());
        assertThat(KeyFiles.loadOrCreate(file).toString()).contains("redacted");
    }
}
