package org.council.node.peer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which inbound peer to drop for a newcomer when inbound slots are full, after Bitcoin Core's
 * {@code SelectNodeToEvict}: an attacker must beat honest peers on every axis at once to take
 * their slots. Protected, in order: one peer from each of the {@value #PROTECT_NETGROUPS} netgroups
 * ranking highest under a per-node secret (an attacker cannot pick the groups that win), the
 * {@value #PROTECT_USEFUL} peers that most recently delivered useful work (events, inference
 * results), and the longest-connected half of the rest. Of those left, the youngest peer of the
 * netgroup holding the most is evicted. Nobody left: the newcomer is refused. Pure and stateless.
 */
final class Eviction {

    static final int PROTECT_NETGROUPS = 4;
    static final int PROTECT_USEFUL = 4;

    /**
     * An inbound peer as eviction sees it.
     *
     * @param key           what to evict (the session)
     * @param netgroup      {@link NetAddress#netgroup} of its address
     * @param connectedAt   when its session started (nanos, monotonic)
     * @param lastUsefulAt  when it last delivered useful work (nanos), 0 for never
     */
    record Candidate<K>(K key, String netgroup, long connectedAt, long lastUsefulAt) {
    }

    private Eviction() {
    }

    static <K> Optional<K> select(List<Candidate<K>> inbound, long secret) {
        List<Candidate<K>> left = new ArrayList<>(inbound);
        // one per netgroup, for the netgroups ranking highest under the secret
        left.sort(Comparator.comparingLong((Candidate<K> c) -> rank(secret, c.netgroup())).reversed()
                .thenComparingLong(Candidate::connectedAt));
        Set<String> protectedGroups = new HashSet<>();
        List<Candidate<K>> keep = new ArrayList<>();
        for (Candidate<K> c : left) {
            if (protectedGroups.size() < PROTECT_NETGROUPS && protectedGroups.add(c.netgroup())) {
                keep.add(c);
            }
        }
        left.removeAll(keep);
        // recent useful work
        left.sort(Comparator.comparingLong((Candidate<K> c) -> c.lastUsefulAt()).reversed());
        int useful = (int) Math.min(PROTECT_USEFUL, left.stream().filter(c -> c.lastUsefulAt() > 0).count());
        left = new ArrayList<>(left.subList(useful, left.size()));
        // the longest-connected half
        left.sort(Comparator.comparingLong(Candidate::connectedAt));
        left = new ArrayList<>(left.subList(left.size() / 2, left.size()));
        if (left.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<Candidate<K>>> byGroup = new HashMap<>();
        left.forEach(c -> byGroup.computeIfAbsent(c.netgroup(), g -> new ArrayList<>()).add(c));
        List<Candidate<K>> crowded = byGroup.values().stream()
                .max(Comparator.<List<Candidate<K>>>comparingInt(List::size)
                        .thenComparingLong(g -> g.stream().mapToLong(Candidate::connectedAt).max().orElse(0)))
                .orElseThrow();
        return crowded.stream().max(Comparator.comparingLong(Candidate::connectedAt)).map(Candidate::key);
    }

    private static long rank(long secret, String netgroup) {
        long z = secret ^ netgroup.hashCode() * 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        return z ^ (z >>> 29);
    }
}
