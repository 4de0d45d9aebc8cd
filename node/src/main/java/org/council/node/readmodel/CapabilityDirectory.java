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
 * current from committed events. Thread-safe.
 */
public final class CapabilityDirectory {

    private record Entry(long seq, EventBody.CapabilitiesAnnounced caps) {
    }

    private final Map<NodeId, Entry> latest = new ConcurrentHashMap<>();

    public CapabilityDirectory(LedgerStore store) {
        store.onCommitted(this::observe);
        try (Stream<SignedEvent> all = store.allEvents()) {
            all.forEach(this::observe);
        }
    }

    private void observe(List<SignedEvent> events) {
        events.forEach(this::observe);
    }

    private void observe(SignedEvent e) {
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
