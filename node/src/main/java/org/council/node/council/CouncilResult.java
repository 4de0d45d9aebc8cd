package org.council.node.council;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody.RatedMember;
import org.council.ledger.event.JobId;

/**
 * Everything a council did: every stage's output, the label maps, every ranking, the aggregate
 * and every failure. Immutable and thread-safe; built only of records, lists and maps
 * ({@link #toJsonMap()} gives plain JSON values).
 *
 * <p>When the chairman fails, {@link #answer()} is {@code null}: the council produced no
 * synthesized answer. {@link #topRankedAnswer()} offers the reviewers' favourite instead, and a
 * caller that shows it must say that it is a single member's answer, not the council's.
 *
 * @param members every member asked in stage 1
 * @param stages one report per stage, in order (always three)
 * @param answers stage 1: the answers that arrived, in label order
 * @param labels the council-wide label map ("Response A" → member), in label order; the chairman sees these labels
 * @param reviews stage 2: one entry per reviewer that delivered, usable ranking or not
 * @param aggregate mean rank per ranked member, best first
 * @param synthesis stage 3, or {@code null} when the chairman did not deliver or never ran
 * @param failures every member that failed in any stage, with the reason
 */
public record CouncilResult(JobId councilId, String question, List<Member> members, List<StageReport> stages,
                            List<MemberAnswer> answers, Map<String, Member> labels, List<Review> reviews,
                            List<RankSummary> aggregate, Synthesis synthesis, List<StageFailure> failures) {

    public CouncilResult {
        Objects.requireNonNull(councilId, "councilId");
        members = List.copyOf(members);
        stages = List.copyOf(stages);
        answers = List.copyOf(answers);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        reviews = List.copyOf(reviews);
        aggregate = List.copyOf(aggregate);
        failures = List.copyOf(failures);
    }

    /** How many stages, counted from stage 1, completed or were skipped without an earlier one failing (0–3). */
    public int stagesCompleted() {
        int n = 0;
        for (StageReport report : stages) {
            if (!report.done()) {
                break;
            }
            n++;
        }
        return n;
    }

    /** The report for one stage. */
    public StageReport stage(CouncilStage stage) {
        return stages.stream().filter(r -> r.stage() == stage).findFirst().orElseThrow();
    }

    /** The chairman's synthesized answer, or {@code null} when there is none (see the class comment). */
    public String answer() {
        return synthesis == null ? null : synthesis.text();
    }

    /** The answer with the best mean rank (or the only answer); never the council's answer, see the class comment. */
    public Optional<MemberAnswer> topRankedAnswer() {
        if (!aggregate.isEmpty()) {
            Member best = aggregate.get(0).member();
            return answers.stream().filter(a -> a.member().equals(best)).findFirst();
        }
        return answers.size() == 1 ? Optional.of(answers.get(0)) : Optional.empty();
    }

    /**
     * The members that delivered in {@code stage}, for receipts: a member that failed or timed out
     * in a stage did no creditable work there.
     */
    public List<Member> servedMembers(CouncilStage stage) {
        return switch (stage) {
            case ANSWER -> answers.stream().map(MemberAnswer::member).toList();
            case REVIEW -> reviews.stream().map(Review::reviewer).toList();
            case SYNTHESIS -> synthesis == null ? List.of() : List.of(synthesis.chairman());
        };
    }

    /**
     * The members of a {@code Rating} event: per node, the mean rank × 1000 over the rankings of
     * reviewers on other nodes. Empty when nothing was ranked (then no rating event is written).
     */
    public List<RatedMember> ratedMembers() {
        return Rankings.rated(reviews);
    }

    /**
     * As {@link #ratedMembers()}, each reviewer's ranking weighted by {@code reviewerTrust} of its
     * node (the asker's karma for it; 0: the ranking does not count): what the asker records.
     */
    public List<RatedMember> ratedMembers(ToDoubleFunction<NodeId> reviewerTrust) {
        return Rankings.rated(reviews, reviewerTrust);
    }

    /** This result as plain JSON values (maps, lists, strings, numbers, null), snake_case keys. */
    public Map<String, Object> toJsonMap() {
        return CouncilJson.toMap(this);
    }
}
