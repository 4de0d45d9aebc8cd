package org.council.ledger.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The examples of docs/reputation.md, "Credits". */
class CreditsTest {

    @Test
    void documentedExamples() {
        assertThat(Credits.milli(8_000, 400, 300)).isEqualTo(4_000);
        assertThat(Credits.milli(70_000, 400, 300)).isEqualTo(35_000);
        assertThat(Credits.milli(3_000, 400, 300)).isEqualTo(2_000);
        assertThat(Credits.milli(0, 400, 300)).as("unknown size weighs 0.5").isEqualTo(2_000);
    }

    @Test
    void generatedTokensCountFourTimesPromptTokens() {
        assertThat(Credits.milli(8_000, 400, 0)).isEqualTo(Credits.milli(8_000, 0, 100));
        assertThat(Credits.milli(8_000, 0, 0)).isZero();
    }
}
