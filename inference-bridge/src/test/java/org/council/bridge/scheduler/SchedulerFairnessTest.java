package org.council.bridge.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.council.bridge.scheduler.SchedulerSimulation.ClassOutcome;
import org.council.bridge.scheduler.SchedulerSimulation.Klass;
import org.council.bridge.scheduler.SchedulerSimulation.Outcome;
import org.council.bridge.scheduler.SchedulerSimulation.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The 5x-overload scenario on a virtual clock (the same one {@code scripts/bench scheduler} runs).
 * Refused requests are retried by their clients until admitted, and their wait counts from the
 * first submission.
 */
class SchedulerFairnessTest {

    private static final Outcome STANDARD = SchedulerSimulation.run(Scenario.standard());

    @Test
    void underFiveTimesOverloadHighKarmaWaitsAFifthOfUnknownsAndEveryRequestIsServed() {
        Outcome o = STANDARD;
        String why = SchedulerSimulation.describe(o);

        assertThat(o.of(Klass.HIGH).p50Wait() * 5).as(why).isLessThanOrEqualTo(o.of(Klass.UNKNOWN).p50Wait());
        assertThat(o.of(Klass.HIGH).p50Wait()).as(why).isLessThanOrEqualTo(o.of(Klass.LOW).p50Wait());
        assertThat(o.of(Klass.LOW).p50Wait()).as(why).isLessThanOrEqualTo(o.of(Klass.UNKNOWN).p50Wait());
        assertThat(o.starved()).as(why).isZero();
        for (Klass k : Klass.values()) {
            ClassOutcome c = o.of(k);
            assertThat(c.offered()).as(k.name()).isPositive();
            assertThat(c.served()).as(k.name()).isEqualTo(c.offered());
        }
        // once admitted, no request waits in the queue past the documented bound
        assertThat(o.maxQueueWaitSeconds()).as(why).isLessThanOrEqualTo(o.waitBoundSeconds());
        // overload is answered, not absorbed: unknown requests are refused again and again
        assertThat(o.of(Klass.UNKNOWN).retries()).as(why).isGreaterThan(o.of(Klass.UNKNOWN).served());
    }

    @Test
    void theSimulationIsDeterministic() {
        assertThat(SchedulerSimulation.run(Scenario.standard())).isEqualTo(STANDARD);
    }

    @Test
    void withoutKarmaEveryClassWaitsAlike() {
        // control: same traffic, everyone at the floor weight; the 5x gap must come from karma
        Outcome o = SchedulerSimulation.run(Scenario.standard().withKarma(0, 0));

        assertThat(o.of(Klass.HIGH).p50Wait() * 5).as(SchedulerSimulation.describe(o))
                .isGreaterThan(o.of(Klass.UNKNOWN).p50Wait());
        assertThat(o.starved()).isZero();
    }
}
