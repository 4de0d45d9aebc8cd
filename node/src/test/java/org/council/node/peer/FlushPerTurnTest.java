package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.council.node.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames written in one turn of the loop, with their flushes consolidated, all reach the peer in
 * order and every write completes; a socket gets the consolidation once.
 */
class FlushPerTurnTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        TestCluster.await(vertx.close());
    }

    @Test
    void framesWrittenInOneTurnAllArriveInOrderAndTheirWritesComplete() {
        Buffer received = Buffer.buffer();
        NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(received::appendBuffer));
        int port = TestCluster.await(server.listen(0, "127.0.0.1")).actualPort();
        NetSocket socket = TestCluster.await(vertx.createNetClient().connect(port, "127.0.0.1"));
        Buffer expected = Buffer.buffer();
        List<Future<Void>> writes = new ArrayList<>();
        // the writes of one task on the socket's loop: outside its read, where each would otherwise be flushed alone
        Promise<Void> turn = Promise.promise();
        ((NetSocketInternal) socket).channelHandlerContext().executor().execute(() -> {
            FlushPerTurn.install(socket);
            FlushPerTurn.install(socket);
            for (int i = 0; i < 500; i++) {
                Buffer frame = Buffer.buffer("frame " + i + ";");
                expected.appendBuffer(frame);
                writes.add(socket.write(frame));
            }
            turn.complete();
        });
        TestCluster.await(turn.future());
        TestCluster.await(Future.all(writes));
        TestCluster.awaitTrue(() -> received.length() >= expected.length(), Duration.ofSeconds(30),
                () -> "received " + received.length() + " of " + expected.length() + " bytes");
        assertThat(received.toString()).isEqualTo(expected.toString());
        assertThat(((NetSocketInternal) socket).channelHandlerContext().pipeline().toMap().values())
                .filteredOn(h -> h instanceof FlushConsolidationHandler).hasSize(1);
    }
}
