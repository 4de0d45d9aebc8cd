package org.council.bridge;

/**
 * A request asked for something the route it took cannot honour (tools, format, think, images or
 * embeddings where only text can be carried yet). The API answers it as the client's error
 * (400), not as a server failure: the same request is refused every time.
 */
public final class UnsupportedFeatureException extends BridgeException {

    public UnsupportedFeatureException(String message) {
        super(ErrorCode.BACKEND_ERROR, message);
    }
}
