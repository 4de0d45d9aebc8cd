package org.council.bench.karma;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;
import org.council.node.council.Member;
import org.council.node.council.Rankings;
import org.council.node.council.Review;

/**
 * H's councils for the garbage-server attack, rated by the node's real {@link Rankings}: each
 * reviewer ranks the other members' answers, and the rating H records weights each ranking by
 * {@code trust} (H's karma for the reviewer, as {@code CouncilService} does) or counts them all
 * the same ({@link #EQUAL}, the former rule, for comparison).
 */
final class KarmaCouncils {

    /** Every reviewer counts the same. */
    static final ToDoubleFunction<NodeId> EQUAL = id -> 1;

    private KarmaCouncils() {
    }

    /**
     * A council of H, the honest peers, garbage server {@code g} and its accomplice {@code a} (another
     * garbage server): H and the honest peers rank the honest answers first (each its own order),
     * then {@code a}, then {@code g} last; {@code g} and {@code a} rank each other first, then the
     * honest answers. The rating H records.
     */
    static List<RatedMember> garbageCouncil(NodeId h, List<NodeId> honest, NodeId g, NodeId a,
                                            ToDoubleFunction<NodeId> trust) {
        List<NodeId> members = new ArrayList<>();
        members.add(h);
        members.addAll(honest);
        List<Review> reviews = new ArrayList<>();
        for (NodeId reviewer : members) {
            List<NodeId> ranking = new ArrayList<>(members);
            ranking.remove(reviewer);
            ranking.add(a);
            ranking.add(g);
            reviews.add(review(reviewer, ranking));
        }
        List<NodeId> byG = new ArrayList<>(List.of(a));
        byG.addAll(members);
        reviews.add(review(g, byG));
        List<NodeId> byA = new ArrayList<>(List.of(g));
        byA.addAll(members);
        reviews.add(review(a, byA));
        return Rankings.rated(reviews, trust);
    }

    /** A council of H, the honest peers and newcomer {@code r}, whose answer everyone ranks first. */
    static List<RatedMember> honestCouncil(NodeId h, List<NodeId> honest, NodeId r, ToDoubleFunction<NodeId> trust) {
        List<NodeId> members = new ArrayList<>();
        members.add(h);
        members.addAll(honest);
        List<Review> reviews = new ArrayList<>();
        for (NodeId reviewer : members) {
            List<NodeId> ranking = new ArrayList<>(List.of(r));
            members.stream().filter(m -> !m.equals(reviewer)).forEach(ranking::add);
            reviews.add(review(reviewer, ranking));
        }
        List<NodeId> byR = new ArrayList<>(members);
        reviews.add(review(r, byR));
        return Rankings.rated(reviews, trust);
    }

    /** One reviewer's parsed ranking, best first, of every other member's answer. */
    private static Review review(NodeId reviewer, List<NodeId> ranking) {
        Map<String, Member> labels = new LinkedHashMap<>();
        List<String> labelled = new ArrayList<>();
        List<Member> ranked = new ArrayList<>();
        for (NodeId id : ranking) {
            String label = "Response " + (char) ('A' + labels.size());
            Member m = new Member(id, "m", 0);
            labels.put(label, m);
            labelled.add(label);
            ranked.add(m);
        }
        return new Review(new Member(reviewer, "m", 0), "ranking", labels, labelled, ranked, 0, 0);
    }
}
