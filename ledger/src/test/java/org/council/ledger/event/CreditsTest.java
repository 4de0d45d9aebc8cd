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

    @Test
    void noInputOverflowsAndOneJobIsWorthAtMostTheCap() {
        assertThat(Credits.milli(Long.MAX_VALUE, 0, 800)).isBetween(0L, Credits.MAX_PER_JOB_MILLI)
                .isEqualTo(Credits.milli(Credits.MAX_PARAMETERS_MILLIONS, 0, 800));
        assertThat(Credits.milli(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Credits.MAX_PER_JOB_MILLI);
        assertThat(Credits.milli(8_000, 0, Integer.MAX_VALUE)).isEqualTo(Credits.MAX_PER_JOB_MILLI);
        assertThat(Credits.milli(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE)).isZero();
        assertThat(Credits.milli(8_000, 0, 100_000)).as("an 8B model reaches the cap at 100k tokens")
                .isEqualTo(Credits.MAX_PER_JOB_MILLI);
    }

    @Test
    void anEmbeddingJobIsPricedOnItsInputTokensAsPromptTokens() {
        // docs/reputation.md: 2,000 input tokens on a 7B embedding model: 2000 / 4 / 100 * 0.875 = 4.375 credits
        assertThat(Credits.embeddingMilli(7_000, 2_000)).isEqualTo(4_375);
        assertThat(Credits.embeddingMilli(137, 2_000)).as("a small embedding model weighs the floor").isEqualTo(2_500);
        assertThat(Credits.embeddingMilli(8_000, 400)).isEqualTo(Credits.milli(8_000, 400, 0)).isEqualTo(1_000);
        assertThat(Credits.embeddingMilli(8_000, 0)).isZero();
    }

    @Test
    void anEmbeddingJobNeverOverflowsAndIsWorthAtMostTheCap() {
        assertThat(Credits.embeddingMilli(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Credits.MAX_PER_JOB_MILLI);
        assertThat(Credits.embeddingMilli(8_000, Long.MAX_VALUE)).isEqualTo(Credits.MAX_PER_JOB_MILLI);
        assertThat(Credits.embeddingMilli(Long.MAX_VALUE, 400)).isEqualTo(Credits.embeddingMilli(
                Credits.MAX_PARAMETERS_MILLIONS, 400)).isEqualTo(250_000);
        assertThat(Credits.embeddingMilli(Long.MIN_VALUE, Long.MIN_VALUE)).isZero();
        assertThat(Credits.embeddingMilli(8_000, 400_000)).as("an 8B model reaches the cap at 400k input tokens")
                .isEqualTo(Credits.MAX_PER_JOB_MILLI);
    }

    @Test
    void claimsCountForAtMostTheCap() {
        assertThat(Credits.countable(Long.MAX_VALUE)).isEqualTo(Credits.MAX_PER_JOB_MILLI);
        assertThat(Credits.countable(-5)).isZero();
        assertThat(Credits.countable(4_000)).isEqualTo(4_000);
        assertThat(Credits.weight(Long.MAX_VALUE)).isEqualTo(250.0);
        assertThat(Credits.weight(Credits.FLOOR_PARAMETERS_MILLIONS)).isEqualTo(0.5);
    }
}
