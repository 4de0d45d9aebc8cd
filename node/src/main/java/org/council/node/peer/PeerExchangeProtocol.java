package org.council.node.peer;

import java.util.List;
import java.util.Set;
import org.council.node.wire.WireMessage;

/**
 * Peer exchange: tells a new peer addresses this node has seen work (dialled and past hello), and
 * files the addresses it is told in the address book under the teller's netgroup (claimed ids are
 * not trusted; see {@link AddressBook}).
 */
final class PeerExchangeProtocol implements ProtocolHandler {

    static final int MAX_SHARED = 32;

    private final AddressBook addresses;
    private final java.util.function.BiConsumer<SessionChannel, org.council.crypto.NodeId> viaSender;

    PeerExchangeProtocol(AddressBook addresses) {
        this(addresses, (s, id) -> { });
    }

    /** @param viaSender takes entries "reachable through a circuit via the sender" (relays announce them) */
    PeerExchangeProtocol(AddressBook addresses, java.util.function.BiConsumer<SessionChannel, org.council.crypto.NodeId> viaSender) {
        this.addresses = addresses;
        this.viaSender = viaSender;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.PEERS);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        List<WireMessage.PeerAddress> peers = addresses.shareable(session.remote(), MAX_SHARED);
        if (!peers.isEmpty()) {
            session.send(new WireMessage.PeerList(peers));
        }
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        // the teller's address picks the buckets; a fake session in tests has none, its id stands in
        String source = session instanceof PeerSession s ? s.remoteHost() : session.remote().hex();
        List<WireMessage.PeerAddress> peers = ((WireMessage.PeerList) m).peers();
        peers.stream().limit(AddressBook.MAX_PER_MESSAGE).filter(WireMessage.PeerAddress::viaSender)
                .forEach(p -> viaSender.accept(session, p.nodeId()));
        addresses.learn(peers.stream().filter(p -> !p.viaSender()).toList(), source, false);
    }
}
