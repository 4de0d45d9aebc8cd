package org.council.node.readmodel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.store.LedgerStore;

/**
 * The newest capabilities each node announced in its feed (models, concurrency, address), kept
 * current from committed events. Thread-safe: events may arrive from the commit listener and a
 * start-up scan at once, in any order, and twice; the newest seq per author wins.
 */
public final class CapabilityDirectory {

    private record Entry(long seq, EventBody.CapabilitiesAnnounced caps) {
    }

    private final Map<NodeId, Entry> latest = new ConcurrentHashMap<>();

    /** A directory over {@code store}: follows its commits and scans its log once, now. */
    public CapabilityDirectory(LedgerStore store) {
        this(store, true);
    }

    private CapabilityDirectory(LedgerStore store, boolean scan) {
        store.onCommitted(this::observe);
        store.onEvicted(gone -> gone.forEach(latest::remove)); // at the feed cap: or it would grow with every stranger
        if (scan) {
            try (Stream<SignedEvent> all = store.allEvents()) {
                all.forEach(this::observe);
            }
        }
    }

    /**
     * A directory that follows {@code store}'s commits from now on but leaves the scan of the
     * stored log to the caller, who must hand it every stored event through {@link #observe}:
     * a node passes it to {@code KarmaEngine}'s start-up scan, so that its million-event log is
     * decoded once, not once per read model.
     */
    public static CapabilityDirectory followingCommits(LedgerStore store) {
        return new CapabilityDirectory(store, false);
    }

    private void observe(List<SignedEvent> events) {
        events.forEach(this::observe);
    }

    /** Takes one stored or committed event into account (only announcements change anything). */
    public void observe(SignedEvent e) {
        if (e.body() instanceof EventBody.CapabilitiesAnnounced c) {
            latest.merge(e.author(), new Entry(e.seq(), c), (old, neu) -> neu.seq() > old.seq() ? neu : old);
        }
    }

    public EventBody.CapabilitiesAnnounced of(NodeId node) {
        Entry e = latest.get(node);
        return e == null ? null : e.caps();
    }

    public Map<NodeId, EventBody.CapabilitiesAnnounced> all() {
        Map<NodeId, EventBody.CapabilitiesAnnounced> out = new java.util.HashMap<>();
        latest.forEach((k, v) -> out.put(k, v.caps()));
        return out;
    }
}
