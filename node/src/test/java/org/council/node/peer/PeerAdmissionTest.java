package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.node.TestCluster;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.Test;

/** The ban map is pruned: expired bans go, and it never holds more than its bound. */
class PeerAdmissionTest {

    @Test
    void expiredBansArePruned() {
        PeerAdmission admission = new PeerAdmission(Duration.ofMillis(50));
        NodeId peer = NodeKeyPair.generate().id();
        admission.recordMisbehaviour(peer, WireMessage.Reason.PROTOCOL_VIOLATION, true);
        assertThat(admission.isBanned(peer)).isTrue();
        TestCluster.awaitTrue(() -> !admission.isBanned(peer), Duration.ofSeconds(10), () -> "ban did not expire");
        admission.pruneBans();
        assertThat(admission.banCount()).isZero();
    }

    @Test
    void aSybilWithEndlessKeysCannotGrowTheBanMapBeyondItsBound() {
        PeerAdmission admission = new PeerAdmission(Duration.ofMinutes(10));
        byte[] key = new byte[32];
        for (int i = 0; i < PeerAdmission.MAX_BANS + 500; i++) {
            key[0] = (byte) i;
            key[1] = (byte) (i >> 8);
            key[2] = (byte) (i >> 16);
            admission.recordMisbehaviour(NodeId.of(key.clone()), WireMessage.Reason.INVALID_EVENT, true);
        }
        assertThat(admission.banCount()).isLessThanOrEqualTo(PeerAdmission.MAX_BANS);
    }
}
