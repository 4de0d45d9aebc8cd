package org.council.node.peer;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Frames a session writes in one turn of its event loop go out in one flush: one TLS record and
 * one socket write for all of them. Vert.x flushes every write made outside the socket's own read,
 * and the frames of served jobs are written while reading their backends' sockets: at 32 streams
 * of 1,000 tokens/s that was 32,000 records a second to encrypt, write, read and decrypt, on the
 * single peer loop of each end. Netty's {@link FlushConsolidationHandler} turns those flushes into
 * one, run as a task of the same turn (so nothing waits for a timer), and flushes at once on close
 * and when the channel stops being writable, so back-pressure and goodbyes are unchanged.
 */
final class FlushPerTurn {

    private FlushPerTurn() {
    }

    /** Installs the consolidation in {@code socket}'s pipeline, once; sockets without one are left as they are. */
    static void install(NetSocket socket) {
        if (socket instanceof NetSocketInternal s) {
            ChannelPipeline pipeline = s.channelHandlerContext().pipeline();
            if (pipeline.get("handler") != null && pipeline.get(FlushConsolidationHandler.class) == null) {
                pipeline.addBefore("handler", "flushes", new FlushConsolidationHandler(
                        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            }
        }
    }
}
