package org.council.node.council;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.council.crypto.NodeId;
import org.council.ledger.reputation.WeightedDraw;

/**
 * Chooses council members among candidates and the chairman among those who answered.
 *
 * <p>Selection: a candidate qualifies when it serves at least one acceptable model. The local
 * candidate, when it qualifies, always gets a seat; the other seats are drawn at random, weighted
 * by reputation ({@link WeightedDraw}: a share of the draws ignores reputation so newcomers get
 * in; nothing depends on node ids, so grinding an id wins no seat). At most one seat per node.
 * Each chosen node then gets one of its acceptable models, preferring a model no other seat has
 * yet (nodes with the fewest options choose first), else the least-used one; a node's own
 * announcement order breaks ties.
 * The same inputs and the same {@code Random} state give the same members.
 *
 * <p>Stateless and thread-safe (the {@code Random} passed in is the caller's concern).
 */
public final class MemberSelector {

    /**
     * @param acceptableModels models the user accepts; empty means any
     * @param count the number of seats wanted (fewer are returned when fewer nodes qualify)
     * @return the members, highest reputation first
     */
    public List<Member> select(List<Candidate> candidates, Set<String> acceptableModels, int count, Random random) {
        Objects.requireNonNull(random, "random");
        Draw draw = draw(candidates, acceptableModels, count);
        List<Candidate> chosen = new ArrayList<>(draw.local());
        for (int i : WeightedDraw.sample(draw.weights(), WeightedDraw.EXPLORE, draw.seats(), random)) {
            chosen.add(draw.peers().get(i));
        }
        chosen.sort(Comparator.comparingDouble(Candidate::reputation).reversed());
        return assignModels(chosen);
    }

    /**
     * The exact chance of each qualified node to get a seat in {@link #select} with these inputs
     * (1 for the local node), from the same draw {@code select} makes ({@link WeightedDraw#inclusion}):
     * what the bench and the tests compare with the fair share, free of sampling noise.
     *
     * @throws IllegalArgumentException for more peers or seats than {@link WeightedDraw#inclusion} takes
     */
    public Map<NodeId, Double> seatChances(List<Candidate> candidates, Set<String> acceptableModels, int count) {
        Draw draw = draw(candidates, acceptableModels, count);
        Map<NodeId, Double> out = new LinkedHashMap<>();
        draw.local().forEach(c -> out.put(c.node(), 1.0));
        double[] p = WeightedDraw.inclusion(draw.weights(), WeightedDraw.EXPLORE, draw.seats());
        for (int i = 0; i < p.length; i++) {
            out.put(draw.peers().get(i).node(), p[i]);
        }
        return out;
    }

    /** What {@link #select} draws from: the local seat, the peers in draw order, their weights, the seats left. */
    private record Draw(List<Candidate> local, List<Candidate> peers, double[] weights, int seats) {
    }

    private static Draw draw(List<Candidate> candidates, Set<String> acceptableModels, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        int seats = Math.min(count, CouncilQuery.MAX_MEMBERS);
        List<Candidate> qualified = qualified(candidates, acceptableModels);
        List<Candidate> local = qualified.stream().filter(Candidate::local).limit(1).toList();
        List<Candidate> peers = new ArrayList<>(qualified.stream().filter(c -> !c.local()).toList());
        peers.sort(Comparator.comparingDouble(Candidate::reputation).reversed()); // draw order only
        double[] weights = peers.stream().mapToDouble(Candidate::reputation).toArray();
        return new Draw(local, List.copyOf(peers), weights, seats - local.size());
    }

    /**
     * The chairman: {@code preferred} unless it is a member that failed to answer; otherwise the
     * highest reputation among {@code answered} (earlier in the list wins a tie).
     *
     * @param members the council's members
     * @param answered the members that answered in stage 1, not empty
     * @param preferred the configured chairman, or {@code null}
     */
    public Member chairman(List<Member> members, List<Member> answered, Member preferred) {
        if (answered.isEmpty()) {
            throw new IllegalArgumentException("nobody answered");
        }
        if (preferred != null) {
            boolean isMember = members.stream().anyMatch(preferred::sameSeat);
            boolean didAnswer = answered.stream().anyMatch(preferred::sameSeat);
            if (!isMember || didAnswer) {
                return preferred;
            }
        }
        Member best = answered.get(0);
        for (Member m : answered) {
            if (m.reputation() > best.reputation()) {
                best = m;
            }
        }
        return best;
    }

    private static List<Candidate> qualified(List<Candidate> candidates, Set<String> acceptable) {
        Map<NodeId, Candidate> byNode = new HashMap<>();
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : candidates) {
            List<String> models = c.models().stream()
                    .filter(m -> m != null && !m.isBlank() && (acceptable.isEmpty() || acceptable.contains(m)))
                    .distinct()
                    .toList();
            if (models.isEmpty()) {
                continue;
            }
            Candidate narrowed = new Candidate(c.node(), models, c.reputation(), c.local());
            Candidate seen = byNode.get(c.node());
            if (seen == null) {
                byNode.put(c.node(), narrowed);
                out.add(narrowed);
            } else if (narrowed.reputation() > seen.reputation()) {
                // the same node listed twice: keep the better-known entry
                out.set(out.indexOf(seen), narrowed);
                byNode.put(c.node(), narrowed);
            }
        }
        return out;
    }

    private static List<Member> assignModels(List<Candidate> chosen) {
        List<Candidate> byChoice = new ArrayList<>(chosen);
        byChoice.sort(Comparator.comparingInt((Candidate c) -> c.models().size()));  // stable: rank order kept
        Map<String, Integer> uses = new HashMap<>();
        Map<NodeId, String> modelOf = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (Candidate c : byChoice) {
            String pick = c.models().stream().filter(m -> !used.contains(m)).findFirst()
                    .orElseGet(() -> c.models().stream()
                            .min(Comparator.comparingInt(m -> uses.getOrDefault(m, 0))).orElseThrow());
            used.add(pick);
            uses.merge(pick, 1, Integer::sum);
            modelOf.put(c.node(), pick);
        }
        List<Member> out = new ArrayList<>();
        for (Candidate c : chosen) {
            out.add(new Member(c.node(), modelOf.get(c.node()), c.reputation()));
        }
        return List.copyOf(out);
    }
}
