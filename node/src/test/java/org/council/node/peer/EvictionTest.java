package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Eviction frees an inbound slot from the attacker's crowd, never from the diverse, useful or long-standing. */
class EvictionTest {

    @Test
    void theYoungestPeerOfTheMostCrowdedNetgroupGoes() {
        List<Eviction.Candidate<String>> inbound = new ArrayList<>();
        // honest peers: distinct netgroups, connected long ago
        for (int i = 0; i < 8; i++) {
            inbound.add(new Eviction.Candidate<>("honest" + i, "10." + i + "/16", i, 0));
        }
        // the attacker: many identities in one netgroup, connected later
        for (int i = 0; i < 16; i++) {
            inbound.add(new Eviction.Candidate<>("sybil" + i, "66.6/16", 100 + i, 0));
        }
        for (long secret : new long[] {1, 2, 3, 42, -7}) {
            assertThat(Eviction.select(inbound, secret)).contains("sybil15");
        }
    }

    @Test
    void peersThatDidUsefulWorkAreProtected() {
        List<Eviction.Candidate<String>> inbound = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inbound.add(new Eviction.Candidate<>("filler" + i, "20." + i + "/16", i, 0));
        }
        inbound.add(new Eviction.Candidate<>("worker", "66.6/16", 1_000, 999));
        inbound.add(new Eviction.Candidate<>("idle", "66.6/16", 900, 0));
        inbound.add(new Eviction.Candidate<>("idle2", "66.6/16", 800, 0));
        Optional<String> victim = Eviction.select(inbound, 5);
        assertThat(victim).isPresent().get().isNotEqualTo("worker");
    }

    @Test
    void whenEveryoneIsProtectedTheNewcomerIsRefused() {
        List<Eviction.Candidate<String>> inbound = List.of(
                new Eviction.Candidate<>("a", "1.1/16", 1, 0), new Eviction.Candidate<>("b", "2.2/16", 2, 0),
                new Eviction.Candidate<>("c", "3.3/16", 3, 0));
        assertThat(Eviction.select(inbound, 9)).isEmpty();
    }
}
