package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;

class ProtocolDispatcherTest {

    /** A protocol that records what it is handed. */
    private static final class Recording implements ProtocolHandler {
        final Set<WireMessage.Kind> kinds;
        final List<WireMessage> got = new ArrayList<>();

        Recording(WireMessage.Kind... kinds) {
            this.kinds = Set.of(kinds);
        }

        @Override
        public Set<WireMessage.Kind> kinds() {
            return kinds;
        }

        @Override
        public void onMessage(SessionChannel session, WireMessage message) {
            got.add(message);
        }
    }

    private final FakeChannel session = new FakeChannel(NodeKeyPair.generate().id(), null);

    @Test
    void eachMessageGoesToTheProtocolRegisteredForItsKind() {
        Recording ping = new Recording(WireMessage.Kind.PING, WireMessage.Kind.PONG);
        Recording peers = new Recording(WireMessage.Kind.PEERS);
        ProtocolDispatcher d = new ProtocolDispatcher(List.of(ping, peers));
        d.dispatch(session, new WireMessage.Ping(1));
        d.dispatch(session, new WireMessage.PeerList(List.of()));
        assertThat(ping.got).containsExactly(new WireMessage.Ping(1));
        assertThat(peers.got).containsExactly(new WireMessage.PeerList(List.of()));
        assertThat(session.closedWith).isNull();
    }

    @Test
    void anUnregisteredKindIsAProtocolViolationNotAFallThrough() {
        Recording ping = new Recording(WireMessage.Kind.PING);
        ProtocolDispatcher d = new ProtocolDispatcher(List.of(ping));
        d.dispatch(session, new WireMessage.InferenceCancel(new byte[16]));
        assertThat(ping.got).isEmpty();
        assertThat(session.closedWith).isEqualTo(WireMessage.Reason.PROTOCOL_VIOLATION);
    }

    @Test
    void twoProtocolsCannotClaimOneKindNorTheSessionsOwn() {
        assertThatThrownBy(() -> new ProtocolDispatcher(List.of(new Recording(WireMessage.Kind.PING),
                new Recording(WireMessage.Kind.PING)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProtocolDispatcher(List.of(new Recording(WireMessage.Kind.HELLO))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProtocolDispatcher(List.of(new Recording(WireMessage.Kind.GOODBYE))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNodeRegistersEveryKindButTheSessionsOwn() {
        // the protocols PeerManager registers: nothing a peer may send after hello falls through
        List<ProtocolHandler> node = List.of(new ReplicationProtocol(null, null, null, o -> { }),
                new PeerExchangeProtocol(null), new KeepAliveProtocol(null), new InferenceProtocol(SessionLimits.defaults()),
                new ReachabilityProtocol(null, null, null, null, null), new RelayProtocol(null, null, null),
                new CapabilityGossip(null, null, null));
        Set<WireMessage.Kind> claimed = new java.util.HashSet<>();
        node.forEach(p -> claimed.addAll(p.kinds()));
        new ProtocolDispatcher(node);
        Set<WireMessage.Kind> expected = java.util.EnumSet.allOf(WireMessage.Kind.class);
        expected.removeAll(Set.of(WireMessage.Kind.HELLO, WireMessage.Kind.GOODBYE));
        assertThat(claimed).isEqualTo(expected);
    }
}
