package org.council.crypto;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The bearer token of a node's acting API endpoints: 32 random bytes as 64 lowercase hex
 * characters, kept in an owner-only file beside the node key ({@code api.token}). Whoever can read
 * the file may act as the node's operator. Comparison is constant-time. Immutable and
 * thread-safe; {@link #toString()} never shows the token.
 */
public final class ApiToken {

    private static final String WHAT = "API token file";
    private final byte[] value;

    private ApiToken(String value) {
        if (value.length() != 64 || !value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("an API token is 64 lowercase hex characters");
        }
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh random token. */
    public static ApiToken generate() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new ApiToken(Hex.encode(raw));
    }

    /** A token from its hex text (as given to a client). */
    public static ApiToken of(String hex) {
        return new ApiToken(hex.strip());
    }

    /** Loads the token file, refusing one that others may read. */
    public static ApiToken load(Path file) {
        for (String line : PrivateFiles.readLines(file, WHAT)) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                try {
                    return of(s);
                } catch (IllegalArgumentException e) {
                    throw new CryptoException(WHAT + " " + file + " is malformed: " + e.getMessage(), e);
                }
            }
        }
        throw new CryptoException(WHAT + " " + file + " holds no token");
    }

    /** Loads the token file, or creates it (owner-only) with a fresh token when absent. */
    public static ApiToken loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            PrivateFiles.createNew(file, "# Council API token: the bearer token of this node's acting endpoints.\n"
                    + generate().hex() + "\n", WHAT);
        }
        return load(file);
    }

    /** The token text, for a client's {@code Authorization: Bearer} header. */
    public String hex() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    /** Whether an {@code Authorization} header value is {@code Bearer <this token>}; constant-time. */
    public boolean matchesHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, value);
    }

    @Override
    public String toString() {
        return "ApiToken(hidden)";
    }
}
