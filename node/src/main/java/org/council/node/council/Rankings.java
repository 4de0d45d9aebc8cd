package org.council.node.council;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;

/** Turns stage-2 rankings into the aggregate and into the rating event's members. Stateless. */
final class Rankings {

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
     * One entry per ranked node for the rating event: mean position × 1000 (rounded), over the
     * rankings of reviewers on other nodes only, so a node never rates itself even when it holds
     * several seats. Ordered best first, then by node id.
     */
    static List<RatedMember> rated(List<Review> reviews) {
        Map<NodeId, long[]> byNode = new TreeMap<>();
        for (Review review : reviews) {
            List<Member> ranking = review.ranking();
            for (int i = 0; i < ranking.size(); i++) {
                NodeId node = ranking.get(i).node();
                if (!node.equals(review.reviewer().node())) {
                    long[] acc = byNode.computeIfAbsent(node, n -> new long[2]);
                    acc[0] += i + 1;
                    acc[1]++;
                }
            }
        }
        Map<NodeId, RatedMember> rated = new LinkedHashMap<>();
        byNode.forEach((node, acc) -> rated.put(node,
                new RatedMember(node, (int) Math.round(1000.0 * acc[0] / acc[1]), (int) acc[1])));
        List<RatedMember> out = new ArrayList<>(rated.values());
        out.sort(Comparator.comparingInt(RatedMember::averageRankMilli).thenComparing(RatedMember::member));
        return List.copyOf(out);
    }
}
