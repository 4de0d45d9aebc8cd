package org.council.bridge.http;

import org.council.bridge.BridgeException;

/**
 * Decodes a line-oriented response body (NDJSON, server-sent events) into one result. Called on
 * one event-loop thread, never concurrently; may throw {@link BridgeException} to fail the call.
 *
 * @param <T> the result type
 */
public interface LineDecoder<T> {

    /**
     * One line without its terminator. Returns true when the line was the final one (the call
     * then completes with {@link #finish()} without waiting for the end of the body).
     */
    boolean onLine(String line);

    /** The result once the final line was seen or the body ended; throws if it is incomplete. */
    T finish();
}
