package org.council.node.council;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The council's prompts. Reviewers see only labels, never who wrote an answer; the chairman sees
 * labels and rankings, never model names or node ids. Stateless and thread-safe.
 *
 * <p>In a multi-turn chat the question is the user's last message and every stage's prompt follows
 * the conversation's earlier turns; the review and synthesis prompts then say so ({@link #IN_CONTEXT}),
 * so reviewers and the chairman judge the answers as replies within that conversation.
 */
public final class CouncilPrompts {

    /** Stage 2. Arguments: the question, the context note (or an empty line), the labelled answers. */
    public static final String REVIEW = """
            You are reviewing answers that other assistants wrote to the question below. \
            You do not know who wrote them, and none of them is yours.

            Question:
            %s
            %s
            %s
            For each response, say briefly what it gets right and what it gets wrong or leaves out. \
            Always refer to a response by its full label, for example "Response A".

            Then end your reply with the line "FINAL RANKING:" followed by a numbered list of the \
            labels from best to worst, one per line and nothing else on the line, like this:
            FINAL RANKING:
            1. Response <letter>
            2. Response <letter>
            """;

    /** Stage 3. Arguments: the question, the context note (or an empty line), the labelled answers, the rankings. */
    public static final String SYNTHESIS = """
            You are the chairman of a council of assistants. Each of them answered the question \
            below; then they reviewed each other's answers anonymously and ranked them, best first.

            Question:
            %s
            %s
            %s
            %s
            Write the single best final answer to the question for the user. Use the strongest \
            points of the answers, correct what is wrong, and weigh the rankings. Answer directly: \
            do not mention the council, the responses, their labels or the rankings.
            """;

    /** After the question when the chat had earlier turns. */
    static final String IN_CONTEXT = "\nThe question is the user's latest message in the conversation above; "
            + "the answers reply to it within that conversation.\n";

    /** Stage 3 when there are no rankings (a single answer, or no reviewer delivered). */
    static final String NO_RANKINGS = "No rankings are available.\n";

    private CouncilPrompts() {
    }

    /** The stage-2 prompt for one reviewer; {@code shown} maps this reviewer's labels to answer texts, in order. */
    public static String review(String question, Map<String, String> shown) {
        return review(question, false, shown);
    }

    /** As above; {@code inConversation}: the question ends a conversation whose earlier turns precede the prompt. */
    public static String review(String question, boolean inConversation, Map<String, String> shown) {
        return String.format(Locale.ROOT, REVIEW, question, context(inConversation), answersBlock(shown));
    }

    /**
     * The stage-3 prompt.
     *
     * @param answers global label → answer text, in label order
     * @param rankings each usable reviewer's ranking in global labels, best first (reviewers unnamed)
     * @param aggregate global label → mean position, best first
     */
    public static String synthesis(String question, Map<String, String> answers, List<List<String>> rankings,
                                   Map<String, RankSummary> aggregate) {
        return synthesis(question, false, answers, rankings, aggregate);
    }

    /** As above; {@code inConversation}: the question ends a conversation whose earlier turns precede the prompt. */
    public static String synthesis(String question, boolean inConversation, Map<String, String> answers,
                                   List<List<String>> rankings, Map<String, RankSummary> aggregate) {
        return String.format(Locale.ROOT, SYNTHESIS, question, context(inConversation), answersBlock(answers),
                rankingsBlock(rankings, aggregate));
    }

    private static String context(boolean inConversation) {
        return inConversation ? IN_CONTEXT : "";
    }

    private static String answersBlock(Map<String, String> labelled) {
        StringBuilder sb = new StringBuilder();
        labelled.forEach((label, text) -> sb.append(label).append(":\n").append(text.strip()).append("\n\n"));
        return sb.toString();
    }

    private static String rankingsBlock(List<List<String>> rankings, Map<String, RankSummary> aggregate) {
        if (rankings.isEmpty()) {
            return NO_RANKINGS;
        }
        StringBuilder sb = new StringBuilder("Rankings (best first):\n");
        for (int i = 0; i < rankings.size(); i++) {
            sb.append("Reviewer ").append(i + 1).append(": ").append(String.join(", ", rankings.get(i))).append('\n');
        }
        sb.append("\nMean position (lower is better):\n");
        aggregate.forEach((label, s) -> sb.append(label)
                .append(String.format(Locale.ROOT, ": %.2f over %d ranking%s\n", s.meanRank(), s.rankings(),
                        s.rankings() == 1 ? "" : "s")));
        return sb.toString();
    }
}
