package org.council.node.peer;

import java.util.Set;
import org.council.node.wire.WireMessage;

/**
 * One protocol spoken over the peer sessions (replication, peer exchange, keep-alive, remote
 * inference), registered with the {@link ProtocolDispatcher} for the message kinds it handles, in
 * the manner of Besu's {@code ProtocolManager}. Every method runs on the peer context.
 */
interface ProtocolHandler {

    /** The message kinds this protocol handles; no two protocols share a kind. */
    Set<WireMessage.Kind> kinds();

    /** A session finished its handshake and is registered. */
    default void onSessionReady(SessionChannel session) {
    }

    /** A message of one of {@link #kinds()} from a ready session. */
    void onMessage(SessionChannel session, WireMessage message);

    /** The registered session {@code session} is closing or closed. */
    default void onSessionClosed(SessionChannel session) {
    }
}
