package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedDrawTest {

    private static final int DRAWS = 200_000;

    @Test
    void equalKarmaGivesEveryCandidateItsFairShareWhateverItsPosition() {
        int k = 20;
        int[] wins = new int[k];
        Random random = new Random(7);
        for (int d = 0; d < DRAWS; d++) {
            wins[WeightedDraw.pick(new double[k], WeightedDraw.EXPLORE, random)]++;
        }
        // the first position (where a ground smallest id would sort) gets 1/K, up to 4 standard errors
        double stderr = Math.sqrt((1.0 / k) * (1 - 1.0 / k) / DRAWS);
        for (int w : wins) {
            assertThat((double) w / DRAWS).isCloseTo(1.0 / k, within(4 * stderr));
        }
    }

    @Test
    void strangersTogetherGetAtMostTheExploreShareWhileAKnownPeerCompetes() {
        // an attacker floods the candidates with 50 zero-karma identities against one known peer
        double[] weights = new double[51];
        weights[0] = 5;
        int strangers = 0;
        Random random = new Random(3);
        for (int d = 0; d < DRAWS; d++) {
            strangers += WeightedDraw.pick(weights, WeightedDraw.EXPLORE, random) == 0 ? 0 : 1;
        }
        assertThat((double) strangers / DRAWS).isLessThanOrEqualTo(WeightedDraw.EXPLORE)
                .isGreaterThan(WeightedDraw.EXPLORE * 0.9);
    }

    @Test
    void drawsFollowKarmaAndSampleDistinctCandidates() {
        double[] weights = {1, 3};
        int second = 0;
        Random random = new Random(11);
        for (int d = 0; d < DRAWS; d++) {
            second += WeightedDraw.pick(weights, 0, random);
        }
        assertThat((double) second / DRAWS).isCloseTo(0.75, within(0.01));
        int[] seats = WeightedDraw.sample(new double[] {0, 2, 0, 1, 4}, WeightedDraw.EXPLORE, 5, new Random(1));
        assertThat(Arrays.stream(seats).sorted().toArray()).containsExactly(0, 1, 2, 3, 4);
        assertThat(WeightedDraw.sample(new double[] {1}, 0, 3, new Random(1))).containsExactly(0);
    }
}
