package org.council.node.council;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;

/**
 * Turns stage-2 rankings into the aggregate and into the rating event's members. Stateless; public
 * for the karma bench, which feeds its councils' reviews through the same weighting.
 */
public final class Rankings {

    private Rankings() {
    }

    /**
     * Mean position (1 = best) of every answer over the reviewers that ranked it, best first;
     * ties by more rankings, then by label. Answers nobody ranked are left out.
     */
    static List<RankSummary> aggregate(List<MemberAnswer> answers, List<Review> reviews) {
        List<RankSummary> out = new ArrayList<>();
        for (MemberAnswer answer : answers) {
            long sum = 0;
            int count = 0;
            for (Review review : reviews) {
                int position = review.ranking().indexOf(answer.member());
                if (position >= 0) {
                    sum += position + 1;
                    count++;
                }
            }
            if (count > 0) {
                out.add(new RankSummary(answer.member(), answer.label(), (double) sum / count, count));
            }
        }
        out.sort(Comparator.comparingDouble(RankSummary::meanRank)
                .thenComparing(Comparator.comparingInt(RankSummary::rankings).reversed())
                .thenComparing(RankSummary::label));
        return List.copyOf(out);
    }

    /**
     * One entry per ranked node for the rating event, every reviewer counting the same
     * ({@link #rated(List, ToDoubleFunction)} with trust 1 for all).
     */
    static List<RatedMember> rated(List<Review> reviews) {
        return rated(reviews, node -> 1);
    }

    /**
     * One entry per node for the rating event: its mean position (1 = best) × 1000, rounded, over
     * the rankings of reviewers on other nodes (so a node never rates itself, even with several
     * seats), each ranking weighted by the asker's trust in its reviewer's node ({@code trust}:
     * karma from the asker's point of view; a reviewer with none has no say). {@code rankings}
     * counts the positions that counted (a reviewer ranking two seats of a node gives it two); a
     * node that none of them ranked is left out.
     *
     * <p>The ledger reads a mean position on the scale of the listed nodes, 1 .. m − 1 for m
     * entries (docs/reputation.md, "Quality"). When nodes are left out, so that m − 1 is fewer than
     * the positions a reviewer could give, each mean is rescaled to keep its quality (first stays
     * first, last stays last, the middle stays the middle). Ordered best first, then by node id.
     */
    public static List<RatedMember> rated(List<Review> reviews, ToDoubleFunction<NodeId> trust) {
        Map<NodeId, double[]> byNode = new TreeMap<>(); // weighted position sum, weight, rankings
        int positions = 0;
        for (Review review : reviews) {
            positions = Math.max(positions, review.labels().size());
            double weight = trust.applyAsDouble(review.reviewer().node());
            if (!(weight > 0) || !Double.isFinite(weight)) {
                continue;
            }
            List<Member> ranking = review.ranking();
            for (int i = 0; i < ranking.size(); i++) {
                NodeId node = ranking.get(i).node();
                if (!node.equals(review.reviewer().node())) {
                    double[] acc = byNode.computeIfAbsent(node, n -> new double[3]);
                    acc[0] += weight * (i + 1);
                    acc[1] += weight;
                    acc[2]++;
                }
            }
        }
        int listed = byNode.size();
        boolean rescale = listed >= 3 && positions >= 2 && listed - 1 != positions;
        List<RatedMember> out = new ArrayList<>();
        for (Map.Entry<NodeId, double[]> e : byNode.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (rescale) {
                double quality = (positions - mean) / (positions - 1);
                mean = listed - 1 - quality * (listed - 2);
            }
            out.add(new RatedMember(e.getKey(), (int) Math.max(1000, Math.round(1000 * mean)), (int) e.getValue()[2]));
        }
        out.sort(Comparator.comparingInt(RatedMember::averageRankMilli).thenComparing(RatedMember::member));
        return List.copyOf(out);
    }
}
