package org.council.node.peer;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.council.node.wire.WireMessage;
import org.council.node.wire.CircuitState;

/**
 * The relay ("hop") side of circuits, after libp2p's circuit relay v2: grants reservations, asks a
 * reserved node whether it takes a circuit, then splices the circuit's bytes between the two
 * sessions without reading them (they are a TLS session between the ends), counting each circuit's
 * bytes and time against {@link RelayConfig}. Back-pressure: when the session a circuit writes to
 * is full, the session it reads from is paused until that one drains. Announces each reserving
 * node to its other peers as reachable "via the sender" ({@link WireMessage.PeerAddress#viaSender()}).
 * Confined to the peer context; the counters are read from any thread.
 */
final class RelayService {

    private static final System.Logger LOG = System.getLogger(RelayService.class.getName());

    private final Context context;
    private final RelayConfig config;
    private final RelayTable<SessionChannel> table;
    private final BooleanSupplier privateNode;
    private final Supplier<List<? extends SessionChannel>> sessions;
    private final AtomicLong bytesRelayed = new AtomicLong();
    private final AtomicLong circuitsOpened = new AtomicLong();
    private final AtomicLong circuitsRefused = new AtomicLong();
    private volatile int reservationCount;
    private volatile int circuitCount;
    // Accessed by context thread
    private Consumer<byte[]> tap = b -> { };

    /**
     * @param privateNode true while this node's dial-backs say it cannot be dialled: a relay nobody can reach helps nobody
     * @param sessions    the ready sessions, to announce reservations to
     */
    RelayService(Context context, RelayConfig config, BooleanSupplier privateNode,
                 Supplier<List<? extends SessionChannel>> sessions) {
        this.context = context;
        this.config = config;
        this.table = new RelayTable<>(config, System::nanoTime);
        this.privateNode = privateNode;
        this.sessions = sessions;
    }

    void reserve(SessionChannel s) {
        assert ContextCheck.inThread(context);
        String refused = RelayProtocol.relayed(s) ? "no reservation over a relayed session"
                : privateNode.getAsBoolean() ? "this node is not dialable itself" : table.reserve(s.remote(), s);
        if (refused != null) {
            s.send(new WireMessage.RelayReservation(false, 0, 0, 0, refused));
            return;
        }
        s.send(new WireMessage.RelayReservation(true, config.maxCircuitsPerReservation(), config.maxCircuitBytes(),
                (int) config.maxCircuitDuration().toSeconds(), ""));
        counts();
        WireMessage.PeerList announce = new WireMessage.PeerList(List.of(
                new WireMessage.PeerAddress(s.remote(), "", 0, true)));
        for (SessionChannel other : sessions.get()) {
            if (other != s && !other.isClosed()) {
                other.send(announce);
            }
        }
    }

    /** A new peer hears which nodes it can reach through this one. */
    void announceTo(SessionChannel s) {
        List<WireMessage.PeerAddress> via = table.reserved().stream().filter(id -> !id.equals(s.remote()))
                .limit(PeerExchangeProtocol.MAX_SHARED).map(id -> new WireMessage.PeerAddress(id, "", 0, true)).toList();
        if (!via.isEmpty()) {
            s.send(new WireMessage.PeerList(via));
        }
    }

    /** A dialler asks for a circuit to a reserved node. */
    void connect(SessionChannel from, WireMessage.CircuitConnect c) {
        CircuitState state = table.connect(c.circuitId(), from, c.peer());
        if (state != CircuitState.OPENED) {
            circuitsRefused.incrementAndGet();
            from.send(new WireMessage.CircuitStatus(c.circuitId(), state, "refused by the relay"));
            return;
        }
        counts();
        table.reservation(c.peer()).send(new WireMessage.CircuitConnect(c.circuitId(), from.remote(), true));
    }

    boolean handles(long circuitId, SessionChannel from) {
        return table.of(circuitId, from) != null;
    }

    void status(SessionChannel from, WireMessage.CircuitStatus st) {
        RelayTable.Circuit<SessionChannel> c = table.of(st.circuitId(), from);
        if (c == null) {
            return;
        }
        if (st.status() == CircuitState.OPENED && table.opened(st.circuitId(), from) != null) {
            circuitsOpened.incrementAndGet();
            c.dialler.send(st);
            return;
        }
        table.remove(c.id);
        counts();
        // a target's refusal goes back as it is; anything else ends the circuit for the other end
        c.other(from).send(new WireMessage.CircuitStatus(c.id, c.open ? CircuitState.CLOSED : st.status(),
                st.detail()));
    }

    void data(SessionChannel from, WireMessage.CircuitData d) {
        RelayTable.Circuit<SessionChannel> c = table.of(d.circuitId(), from);
        if (c == null || !c.open) {
            return; // closed meanwhile: the end will hear CLOSED
        }
        if (!table.carry(c, d.data().length)) {
            end(c, CircuitState.LIMIT, "circuit over " + config.maxCircuitBytes() + " bytes");
            return;
        }
        SessionChannel to = c.other(from);
        bytesRelayed.addAndGet(d.data().length);
        tap.accept(d.data());
        to.send(d);
        if (to.writeQueueFull()) {
            from.pauseInput();
            to.whenWritable(from::resumeInput);
        }
    }

    /** Every second: circuits past their time, and pending ones the target never answered. */
    void tick() {
        assert ContextCheck.inThread(context);
        for (RelayTable.Circuit<SessionChannel> c : table.expired()) {
            end(c, c.open ? CircuitState.LIMIT : CircuitState.REFUSED,
                    c.open ? "circuit open for " + config.maxCircuitDuration() : "the target did not answer");
        }
        counts();
    }

    void sessionClosed(SessionChannel s) {
        for (RelayTable.Circuit<SessionChannel> c : table.dropSession(s)) {
            c.other(s).resumeInput(); // it may wait for a drain of s that will never come
            c.other(s).send(new WireMessage.CircuitStatus(c.id, CircuitState.CLOSED, "the other end left the relay"));
        }
        counts();
    }

    private void end(RelayTable.Circuit<SessionChannel> c, CircuitState why, String detail) {
        table.remove(c.id);
        LOG.log(System.Logger.Level.DEBUG, "circuit " + Long.toHexString(c.id) + " ended: " + detail);
        c.dialler.send(new WireMessage.CircuitStatus(c.id, why, detail));
        if (c.open) {
            c.target.send(new WireMessage.CircuitStatus(c.id, why, detail));
        } else {
            c.target.send(new WireMessage.CircuitStatus(c.id, CircuitState.CLOSED, detail));
        }
        counts();
    }

    private void counts() {
        reservationCount = table.reservationCount();
        circuitCount = table.circuitCount();
    }

    void tap(Consumer<byte[]> t) {
        tap = t;
    }

    /** Reservations held here, circuits now, circuits ever opened, circuits refused, bytes relayed. Any thread. */
    long[] counters() {
        return new long[] {reservationCount, circuitCount, circuitsOpened.get(), circuitsRefused.get(),
                bytesRelayed.get()};
    }
}
