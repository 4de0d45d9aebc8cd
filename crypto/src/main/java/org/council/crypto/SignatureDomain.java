package org.council.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A domain-separation prefix: every Council signature covers {@code prefix || message}, where the
 * prefix is the ASCII tag followed by one zero byte, so a signature made for one purpose (an
 * event, a handshake, an inference request) can never be replayed as another.
 *
 * <p>Immutable and thread-safe.
 */
public final class SignatureDomain {

    /** Signed ledger events ({@code docs/ledger-format.md}). */
    public static final SignatureDomain LEDGER_EVENT = new SignatureDomain("council/ledger/event/v1");

    private final String tag;
    private final byte[] prefix;

    /**
     * @param tag printable ASCII without NUL, 1 to 64 characters
     */
    public SignatureDomain(String tag) {
        if (tag.isEmpty() || tag.length() > 64 || !tag.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a signature domain tag is 1-64 printable ASCII characters: " + tag);
        }
        this.tag = tag;
        byte[] ascii = tag.getBytes(StandardCharsets.US_ASCII);
        this.prefix = Arrays.copyOf(ascii, ascii.length + 1);
    }

    public String tag() {
        return tag;
    }

    /** The prefix bytes: the tag in ASCII, then 0x00. */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** {@code prefix || message}: exactly the bytes Ed25519 signs. */
    public byte[] signingInput(byte[] message) {
        byte[] input = Arrays.copyOf(prefix, prefix.length + message.length);
        System.arraycopy(message, 0, input, prefix.length, message.length);
        return input;
    }

    @Override
    public String toString() {
        return "SignatureDomain[" + tag + "]";
    }
}
