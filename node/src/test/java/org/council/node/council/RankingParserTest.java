package org.council.node.council;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankingParserTest {

    private static final List<String> ABC = List.of("Response A", "Response B", "Response C");

    private static List<String> parse(String text) {
        return RankingParser.parse(text, ABC);
    }

    @Test
    void karpathyFormat() {
        String text = """
                Response A is thorough. Response B misses the point. Response C is concise.

                FINAL RANKING:
                1. Response C
                2. Response A
                3. Response B
                """;
        assertThat(parse(text)).containsExactly("Response C", "Response A", "Response B");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "**FINAL RANKING:**\n1. **Response C**\n2. **Response A**\n3. **Response B**",
        "Final ranking:\n1) Response (C)\n2) Response (A)\n3) Response (B)",
        "final ranking\n1. response c\n2. response a\n3. response b",
        "## FINAL RANKING\n- 1. Response C — best\n- 2. Response A\n- 3. Response B — weakest",
        "FINAL RANKING:\n#1: [Response C]\n#2: [Response A]\n#3: [Response B]",
        "FINAL RANKING:\n1. C\n2. A\n3. B",
        "FINAL RANKING:\n\n1. Response C (clearest)\n\n2. Response A\n\n3. Response B",
        "FINAL RANKING: Response C > Response A > Response B",
        "FINAL RANKING:\n* Response C\n* Response A\n* Response B",
        "FINAL RANKING:\n1. Response-C\n2. Response_A\n3. Response:B",
    })
    void toleratesMarkdownCaseAndPunctuation(String text) {
        assertThat(parse(text)).containsExactly("Response C", "Response A", "Response B");
    }

    @Test
    void numberedItemsWinOverMentionsInTheSameSection() {
        String text = "FINAL RANKING:\n1. Response B, which beats Response A\n2. Response A\n3. Response C";
        assertThat(parse(text)).containsExactly("Response B", "Response A", "Response C");
    }

    @Test
    void theListEndsAtTheFirstOtherLine() {
        String text = "FINAL RANKING:\n1. Response B\n2. Response C\n\nNotes:\n1. Response A was close";
        assertThat(parse(text)).containsExactly("Response B", "Response C");
    }

    @Test
    void lastHeaderWithARankingWins() {
        String text = """
                I will give my final ranking at the end.
                FINAL RANKING:
                1. Response B
                2. Response A
                This final ranking reflects accuracy.
                """;
        assertThat(parse(text)).containsExactly("Response B", "Response A");
    }

    @Test
    void withoutHeaderFallsBackToMentionsInOrder() {
        assertThat(parse("I prefer Response B, then Response C; Response B again, and Response A last."))
                .containsExactly("Response B", "Response C", "Response A");
    }

    @Test
    void headerWithoutLabelsGivesEmptyRatherThanDiscussionOrder() {
        assertThat(parse("Response A is fine and Response B too.\nFINAL RANKING:\nI cannot decide.")).isEmpty();
    }

    @Test
    void dedupesAndIgnoresUnknownLabels() {
        String text = "FINAL RANKING:\n1. Response D\n2. Response B\n3. Response B\n4. Response A";
        assertThat(parse(text)).containsExactly("Response B", "Response A");
    }

    @Test
    void partialRankingIsKept() {
        assertThat(parse("FINAL RANKING:\n1. Response C")).containsExactly("Response C");
    }

    @Test
    void wordsThatStartWithResponseAreNotLabels() {
        assertThat(parse("All responses are weak; Responsive design aside, Response Alpha is not a label.")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "I like them all.", "FINAL RANKING:", "1. 2. 3.", "Response Z first"})
    void garbageGivesEmptyRanking(String text) {
        assertThat(parse(text)).isEmpty();
    }

    @Test
    void nullGivesEmptyRanking() {
        assertThat(parse(null)).isEmpty();
    }
}
