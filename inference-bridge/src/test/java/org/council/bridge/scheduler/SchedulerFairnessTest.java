package org.council.bridge.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.council.bridge.scheduler.SchedulerSimulation.Klass;
import org.council.bridge.scheduler.SchedulerSimulation.Outcome;
import org.junit.jupiter.api.Test;

/** The 5x-overload scenario on a virtual clock (the same one {@code scripts/bench scheduler} runs). */
class SchedulerFairnessTest {

    @Test
    void underFiveTimesOverloadHighKarmaWaitsAFifthOfUnknownsAndNobodyStarves() {
        Outcome o = SchedulerSimulation.run(SchedulerSimulation.Scenario.standard());

        assertThat(o.of(Klass.HIGH).p50Wait() * 5).as(SchedulerSimulation.describe(o))
                .isLessThanOrEqualTo(o.of(Klass.UNKNOWN).p50Wait());
        assertThat(o.starved()).isZero();
        for (Klass k : Klass.values()) {
            assertThat(o.of(k).served()).as(k.name()).isPositive();
            assertThat(o.of(k).maxWait()).as(k.name()).isLessThanOrEqualTo(o.waitBoundSeconds());
        }
        // overload is answered, not absorbed: most unknown traffic is refused with a retry hint
        assertThat(o.of(Klass.UNKNOWN).rejected()).isGreaterThan(o.of(Klass.UNKNOWN).served());
    }

    @Test
    void theSimulationIsDeterministic() {
        assertThat(SchedulerSimulation.run(SchedulerSimulation.Scenario.standard()))
                .isEqualTo(SchedulerSimulation.run(SchedulerSimulation.Scenario.standard()));
    }

    @Test
    void withoutKarmaEveryClassWaitsAlike() {
        // control: same traffic, everyone at the floor weight; the 5x gap must come from karma
        SchedulerSimulation.Scenario s = SchedulerSimulation.Scenario.standard();
        SchedulerSimulation.Scenario flat = new SchedulerSimulation.Scenario(s.config(), s.slots(),
                s.tokensPerSecond(), s.overload(), s.durationSeconds(), s.highShare(), s.lowShare(),
                s.highRequesters(), 0, s.lowRequesters(), 0, s.unknownRequesters(), s.seed());

        Outcome o = SchedulerSimulation.run(flat);

        assertThat(o.of(Klass.HIGH).p50Wait() * 5).isGreaterThan(o.of(Klass.UNKNOWN).p50Wait());
    }
}
