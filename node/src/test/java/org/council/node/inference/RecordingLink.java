package org.council.node.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.crypto.NodeId;
import org.council.node.peer.PeerLink;
import org.council.node.wire.WireMessage;

/**
 * A session for the inference tests: records what is sent and on which threads; its write queue
 * is full while {@link #full} is set, and {@link #drain} runs the waiters as the session does.
 */
final class RecordingLink implements PeerLink {

    final List<WireMessage> sent = new CopyOnWriteArrayList<>();
    final Set<Thread> sentOn = ConcurrentHashMap.newKeySet();
    final List<Runnable> waiters = new CopyOnWriteArrayList<>();
    volatile boolean full;
    private final NodeId remote;

    RecordingLink(NodeId remote) {
        this.remote = remote;
    }

    @Override
    public NodeId remote() {
        return remote;
    }

    @Override
    public void send(WireMessage message) {
        sentOn.add(Thread.currentThread());
        sent.add(message);
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public boolean writeQueueFull() {
        return full;
    }

    @Override
    public void whenWritable(Runnable then) {
        waiters.add(then);
    }

    /** The queue drained: runs the waiters, as the session does. Call on the context. */
    Void drain() {
        List<Runnable> w = new ArrayList<>(waiters);
        waiters.clear();
        w.forEach(Runnable::run);
        return null;
    }

    /** The token frames sent, in order: each frame's tokens. */
    List<List<String>> frames() {
        return sent.stream().map(m -> ((WireMessage.InferenceTokens) m).tokens()).toList();
    }
}
