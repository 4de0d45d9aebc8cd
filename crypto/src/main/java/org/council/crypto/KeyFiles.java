package org.council.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Saves and loads a node's key file.
 *
 * <p>Format (UTF-8 text; {@code #} lines are comments):
 * <pre>
 * # Council node key (Ed25519). Keep this file private: whoever holds it is this node.
 * node-id: &lt;64 hex: the public key&gt;
 * private-key: &lt;64 hex: the RFC 8032 private key (seed)&gt;
 * </pre>
 * The file is created with owner-only permissions ({@code rw-------}) before any secret is
 * written into it, synced, and moved into place atomically. Loading refuses a file that group or
 * others may read or write, and a file whose node-id does not match its private key.
 *
 * <p>Stateless and thread-safe.
 */
public final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private KeyFiles() {
    }

    /** Writes a new key file; refuses to overwrite an existing one. */
    public static void create(Path file, NodeKeyPair keys) {
        if (Files.exists(file)) {
            throw new CryptoException("key file " + file + " already exists; refusing to overwrite a node identity");
        }
        String text = "# Council node key (Ed25519). Keep this file private: whoever holds it is this node.\n"
                + "node-id: " + keys.id().hex() + "\n"
                + "private-key: " + Hex.encode(keys.privateKeyForKeyFile()) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            if (isPosix(dir)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new CryptoException("key file " + file + " already exists; refusing to overwrite a node identity", e);
        } catch (IOException e) {
            throw new CryptoException("cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a key file, checking its permissions and contents. */
    public static NodeKeyPair load(Path file) {
        checkPrivate(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CryptoException("key file " + file + " does not exist (run `council init` to create one)", e);
        } catch (IOException e) {
            throw new CryptoException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        String privateHex = null;
        String idHex = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new CryptoException("key file " + file + " is malformed: expected `name: value` lines");
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "private-key" -> privateHex = value;
                case "node-id" -> idHex = value;
                default -> throw new CryptoException("key file " + file + " has an unknown entry `" + name + "`");
            }
        }
        if (privateHex == null || privateHex.length() != 64) {
            throw new CryptoException("key file " + file + " is malformed: `private-key` must be 64 hex characters");
        }
        NodeKeyPair keys;
        try {
            keys = NodeKeyPair.fromPrivateKey(Hex.decode(privateHex));
        } catch (IllegalArgumentException e) {
            throw new CryptoException("key file " + file + " is malformed: `private-key` is not hex", e);
        }
        if (idHex != null && !idHex.equalsIgnoreCase(keys.id().hex())) {
            throw new CryptoException("key file " + file + " is inconsistent: its node-id does not match its private key");
        }
        return keys;
    }

    /** Loads the key file, or creates it with a fresh key pair when it does not exist. */
    public static NodeKeyPair loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            create(file, NodeKeyPair.generate());
        }
        return load(file);
    }

    private static void checkPrivate(Path file) {
        if (!Files.exists(file) || !isPosix(file)) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new CryptoException("cannot read the permissions of key file " + file + ": " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(perms);
        open.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!open.isEmpty()) {
            throw new CryptoException("key file " + file + " is accessible by other users (mode "
                    + PosixFilePermissions.toString(perms) + "); refusing to use it. "
                    + "Restrict it with `chmod 600 " + file + "` if it was not exposed, or create a new identity.");
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
