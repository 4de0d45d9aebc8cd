package org.council.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

/** NetworkChat's choice of a peer: no id tie-break, karma-weighted, newcomers get some jobs. */
class PeerChoiceTest {

    @Test
    void aGroundSmallestIdWinsNoMoreThanItsShareAmongEqualPeers() {
        List<NodeId> peers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            peers.add(NodeKeyPair.generate().id());
        }
        NodeId smallest = peers.stream().sorted().findFirst().orElseThrow();
        Random random = new Random(5);
        int wins = 0;
        int draws = 100_000;
        for (int d = 0; d < draws; d++) {
            wins += NetworkChat.choosePeer(peers.stream().sorted().toList(), p -> 3.0, random)
                    .orElseThrow().equals(smallest) ? 1 : 0;
        }
        assertThat((double) wins / draws).isBetween(0.09, 0.11); // 1/K, K = 10, not 1
    }

    @Test
    void higherKarmaWinsMoreAndANewcomerStillWinsSome() {
        NodeId known = NodeKeyPair.generate().id();
        NodeId newcomer = NodeKeyPair.generate().id();
        Map<NodeId, Double> karma = Map.of(known, 10.0, newcomer, 0.0);
        Random random = new Random(9);
        int newcomerWins = 0;
        for (int d = 0; d < 10_000; d++) {
            newcomerWins += NetworkChat.choosePeer(List.of(known, newcomer), karma::get, random)
                    .orElseThrow().equals(newcomer) ? 1 : 0;
        }
        assertThat(newcomerWins).isBetween(300, 700); // explore 0.1, half of it to the newcomer
        assertThat(NetworkChat.choosePeer(List.of(), karma::get, random)).isEmpty();
    }
}
