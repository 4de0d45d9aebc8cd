package org.council.node.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.council.crypto.NodeId;
import org.council.ledger.codec.DecodeResult;
import org.council.ledger.event.EventKind;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.scope.Scope;
import org.council.ledger.store.LedgerStore;
import org.council.node.readmodel.ModelDirectory;
import org.council.node.wire.WireMessage;

/**
 * For the scale simulation only ({@code scripts/bench scale}, docs/design.md "Benchmarks"): one
 * node's replication ({@link ReplicationProtocol} with its {@link FeedSync}s, {@link LocalScope}
 * and {@link PeerScope}s) and capabilities gossip ({@link CapabilityGossip}), the real classes,
 * spoken over in-memory {@link Link}s instead of TLS sessions. It wires them as {@link PeerManager}
 * does (commits to replication and announcements to the gossip, a gossip tick) and nothing else:
 * no admission, no dialling, no keep-alive; the gossip takes announcements' signatures as valid
 * (the simulation's stores check none either) and decodes them as it is told. The node itself never builds one.
 *
 * <p>Confined to {@code context}, like the protocols it holds.
 */
public final class SimulatedPeer {

    private final Context context;
    private final ReplicationProtocol replication;
    private final CapabilityGossip gossip;

    /**
     * @param config  the replication scope and session limits to run with
     * @param clockMs the (simulated) wall clock the gossip dates announcements by
     * @param decode  how the gossip decodes an announcement's envelope: the simulation hands every
     *                node the one event it signed, where a node decodes its own copy
     */
    public SimulatedPeer(Context context, LedgerStore store, PeerConfig config, ModelDirectory directory,
                         LongSupplier clockMs, Function<byte[], DecodeResult> decode) {
        this.context = context;
        this.replication = new ReplicationProtocol(context, store, config, outcomes -> { });
        // every announcement in the simulation is signed by its author; checking it again at every node
        // (a million checks at 10,000 nodes) is a cost the simulation does not pay
        this.gossip = new CapabilityGossip(context, directory, clockMs, decode, e -> true);
    }

    /** Builds the replication scope from the store's log; no link before it completes. */
    public Future<Void> start() {
        return replication.start();
    }

    /** Events just committed to this node's store: pushed to the links, announcements gossiped. */
    public void committed(List<SignedEvent> events) {
        assert ContextCheck.inThread(context);
        replication.onCommitted(events);
        for (SignedEvent e : events) {
            if (e.kind() == EventKind.CAPABILITIES_ANNOUNCED) {
                gossip.committed(e);
            }
        }
    }

    /** The gossip's forwarding tick ({@link CapabilityGossip#TICK_MS}). */
    public void tick() {
        gossip.tick();
    }

    /** The replication scope as it stands. */
    public Scope scope() {
        return replication.scope();
    }

    /** Whether a session's peer is {@code author} or replicates its feed (what {@link ScopeDials} calls covered). */
    /** The last seq of {@code author}'s feed this node holds; 0: none. */
    public long held(NodeId author) {
        return replication.held(author);
    }

    public boolean offered(NodeId author) {
        return replication.offered(author);
    }

    /** Whether {@code link} brought this node everything in its scope the peer holds (a catch-up session may close). */
    public boolean caughtUp(Link link) {
        return replication.caughtUp(link);
    }

    /**
     * Opens this node's end of a session with {@code remote}, already past hello: what this end
     * sends goes to {@code out}; {@code closed} hears why the end closed (once, with
     * the detail a misbehaving peer would be told).
     */
    public Link open(NodeId remote, Consumer<WireMessage> out, BiConsumer<WireMessage.Reason, String> closed) {
        assert ContextCheck.inThread(context);
        Link link = new Link(remote, out, closed);
        replication.onSessionReady(link);
        gossip.onSessionReady(link);
        return link;
    }

    /** One end of a simulated session; no write queue (never full), input never paused. */
    public final class Link implements SessionChannel {

        private final NodeId remote;
        private final Consumer<WireMessage> out;
        private final BiConsumer<WireMessage.Reason, String> closed;
        // Accessed by context thread
        private boolean isClosed;

        private Link(NodeId remote, Consumer<WireMessage> out, BiConsumer<WireMessage.Reason, String> closed) {
            this.remote = remote;
            this.out = out;
            this.closed = closed;
        }

        /** A frame from the other end. */
        public void deliver(WireMessage m) {
            assert ContextCheck.inThread(context);
            if (isClosed) {
                return;
            }
            if (replication.kinds().contains(m.kind())) {
                replication.onMessage(this, m);
            } else if (gossip.kinds().contains(m.kind())) {
                gossip.onMessage(this, m);
            }
        }

        /** Closes this end (the other end went away, or the simulation churns it). */
        public void close() {
            goodbye(WireMessage.Reason.UNSPECIFIED, "closed");
        }

        @Override
        public NodeId remote() {
            return remote;
        }

        @Override
        public void send(WireMessage message) {
            if (!isClosed) {
                out.accept(message);
            }
        }

        @Override
        public boolean isClosed() {
            return isClosed;
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public void misbehave(WireMessage.Reason reason, String detail, boolean ban) {
            goodbye(reason, detail);
        }

        @Override
        public void goodbye(WireMessage.Reason reason, String detail) {
            assert ContextCheck.inThread(context);
            if (isClosed) {
                return;
            }
            isClosed = true;
            replication.onSessionClosed(this);
            gossip.onSessionClosed(this);
            closed.accept(reason, detail);
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
        public void pauseInput() {
        }

        @Override
        public void resumeInput() {
        }
    }
}
