package org.council.node.peer;

import java.util.List;
import java.util.Set;
import org.council.node.wire.WireMessage;

/** Peer exchange: tells a new peer where the other peers listen, and learns the addresses it is told. */
final class PeerExchangeProtocol implements ProtocolHandler {

    private final SessionRegistry sessions;
    private final AddressBook addresses;

    PeerExchangeProtocol(SessionRegistry sessions, AddressBook addresses) {
        this.sessions = sessions;
        this.addresses = addresses;
    }

    @Override
    public Set<WireMessage.Kind> kinds() {
        return Set.of(WireMessage.Kind.PEERS);
    }

    @Override
    public void onSessionReady(SessionChannel session) {
        List<WireMessage.PeerAddress> peers = sessions.shareablePeers(session.remote());
        if (!peers.isEmpty()) {
            session.send(new WireMessage.PeerList(peers));
        }
    }

    @Override
    public void onMessage(SessionChannel session, WireMessage m) {
        addresses.learn(((WireMessage.PeerList) m).peers());
    }
}
