package org.council.crypto;

/** The one unchecked exception of the crypto module: wraps I/O and malformed key material. */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
