package org.council.node.council;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.council.bridge.ChatMessage;
import org.council.ledger.event.JobId;

/**
 * One council request. Immutable and thread-safe.
 *
 * @param councilId the council's id (also the job id prefix of its receipts and the rating event)
 * @param question the user's question (the last user turn)
 * @param history earlier chat turns, oldest first, sent before every stage's prompt; may be empty
 * @param members 1 to {@value #MAX_MEMBERS} distinct seats (node and model), usually from {@link MemberSelector}
 * @param chairman the preferred chairman, or {@code null} to let {@link MemberSelector#chairman} choose
 * @param timeouts per-stage timeouts
 */
public record CouncilQuery(JobId councilId, String question, List<ChatMessage> history, List<Member> members,
                           Member chairman, CouncilTimeouts timeouts) {

    /** Labels are single letters A–Z, so a council has at most 26 members. */
    public static final int MAX_MEMBERS = 26;

    public CouncilQuery {
        Objects.requireNonNull(councilId, "councilId");
        Objects.requireNonNull(question, "question");
        if (question.isBlank()) {
            throw new IllegalArgumentException("question is blank");
        }
        history = List.copyOf(history);
        members = List.copyOf(members);
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a council has 1 to " + MAX_MEMBERS + " members");
        }
        Set<String> seats = new HashSet<>();
        for (Member m : members) {
            if (!seats.add(m.node().hex() + "/" + m.model())) {
                throw new IllegalArgumentException("member listed twice: " + m.node().shortHex() + "/" + m.model());
            }
        }
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** A new council (random id) with no history, the chairman chosen by reputation, default timeouts. */
    public static CouncilQuery of(String question, List<Member> members) {
        return new CouncilQuery(JobId.random(), question, List.of(), members, null, CouncilTimeouts.DEFAULTS);
    }

    public CouncilQuery withHistory(List<ChatMessage> earlierTurns) {
        return new CouncilQuery(councilId, question, earlierTurns, members, chairman, timeouts);
    }

    public CouncilQuery withChairman(Member preferred) {
        return new CouncilQuery(councilId, question, history, members, preferred, timeouts);
    }

    public CouncilQuery withTimeouts(CouncilTimeouts stageTimeouts) {
        return new CouncilQuery(councilId, question, history, members, chairman, stageTimeouts);
    }
}
