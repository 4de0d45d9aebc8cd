package org.council.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    private KeyFiles() {
    }

    /** Writes a new key file; refuses to overwrite an existing one. */
    public static void create(Path file, NodeKeyPair keys) {
        if (Files.exists(file)) {
            throw new CryptoException("key file " + file + " already exists; refusing to overwrite a node identity");
        }
        PrivateFiles.createNew(file, "# Council node key (Ed25519). Keep this file private: whoever holds it is this node.\n"
                + "node-id: " + keys.id().hex() + "\n"
                + "private-key: " + Hex.encode(keys.privateKeyForKeyFile()) + "\n", "key file");
    }

    /** Loads a key file, checking its permissions and contents. */
    public static NodeKeyPair load(Path file) {
        List<String> lines = PrivateFiles.readLines(file, "key file");
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
}
