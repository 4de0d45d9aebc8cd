package org.council.node.peer;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.council.crypto.NodeId;
import org.council.node.wire.WireMessage;

/** An in-memory session: records what is sent and hands it to {@link #deliver}; no socket. */
final class FakeChannel implements SessionChannel {

    final NodeId remote;
    final Context context;
    final List<WireMessage> sent = new CopyOnWriteArrayList<>();
    volatile Consumer<WireMessage> deliver = m -> { };
    volatile WireMessage.Reason closedWith;
    volatile boolean banned;
    volatile boolean paused;
    volatile String host;

    FakeChannel(NodeId remote, Context context) {
        this.remote = remote;
        this.context = context;
    }

    @Override
    public NodeId remote() {
        return remote;
    }

    @Override
    public void send(WireMessage m) {
        if (closedWith == null) {
            sent.add(m);
            deliver.accept(m);
        }
    }

    @Override
    public boolean isClosed() {
        return closedWith != null;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public void misbehave(WireMessage.Reason reason, String detail, boolean ban) {
        banned |= ban;
        goodbye(reason, detail);
    }

    @Override
    public void goodbye(WireMessage.Reason reason, String detail) {
        if (closedWith == null) {
            closedWith = reason;
        }
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public void onDrain(Runnable then) {
        context.runOnContext(v -> then.run());
    }

    @Override
    public String remoteHost() {
        return host;
    }

    @Override
    public void pauseInput() {
        paused = true;
    }

    @Override
    public void resumeInput() {
        paused = false;
    }
}
