package org.council.node.inference;

import io.vertx.core.Promise;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeId;
import org.council.node.wire.RemoteRequest;

/**
 * A remote job this node asked for and waits on: its server, signed request, reply, sink, and the
 * text and thinking received so far. Accessed by the peer context thread only.
 */
final class PendingJob {
    final NodeId server;
    final RemoteRequest request;
    final Promise<RemoteReply> promise = Promise.promise();
    final TokenSink sink;
    final StringBuilder text = new StringBuilder();
    final StringBuilder thinking = new StringBuilder();
    long chunks;
    long bytes;
    boolean overrun;
    long timer;

    PendingJob(NodeId server, RemoteRequest request, TokenSink sink) {
        this.server = server;
        this.request = request;
        this.sink = sink;
    }
}
