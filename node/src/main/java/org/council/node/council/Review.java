package org.council.node.council;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2: one reviewer's critique and ranking. {@code labels} is this reviewer's own label map
 * ("Response A" → member, in the shuffled order it was shown); {@code rankedLabels} is the parsed
 * ranking in those labels, best first; {@code ranking} is the same mapped back to members. An
 * unparseable reply gives empty rankings. Immutable and thread-safe.
 */
public record Review(Member reviewer, String text, Map<String, Member> labels, List<String> rankedLabels,
                     List<Member> ranking, int promptTokens, int completionTokens) {

    public Review {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        rankedLabels = List.copyOf(rankedLabels);
        ranking = List.copyOf(ranking);
    }
}
