package org.council.ledger.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.council.ledger.reputation.KarmaNet.DAY;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example of {@code docs/reputation.md}, number for number. */
class WorkedExampleTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedFourNodeExampleGivesTheDocumentedTrustAndKarma() {
        try (KarmaNet net = new KarmaNet(dir)) {
            // given: an engine that follows the events as they arrive...
            KarmaEngine live = net.engine();
            KarmaNet.Feed a = new KarmaNet.Feed();
            KarmaNet.Feed b = new KarmaNet.Feed();
            KarmaNet.Feed c = new KarmaNet.Feed();
            net.servedSelf(a, 60, 0);          // H requested 60 credits from A, now
            net.servedSelf(b, 20, 0);          // H requested 20 credits from B, now
            net.servedSelf(b, 40, 7 * DAY);    // ... and 40 credits one half-life ago: weighs 20
            net.receipt(c, a, 200, 0);         // A requested 200 credits from C: capped to 100
            net.receipt(a, b, 50, 0);          // B requested 50 credits from A
            net.flush(live);
            net.clock.addAndGet(1_000);        // past the minimum recompute interval
            // ...and one built afterwards from a single scan of the log
            KarmaEngine rebuilt = net.engine();

            for (KarmaEngine engine : new KarmaEngine[] {live, rebuilt}) {
                // then: every edge is in probation (escrow 0.1):
                // c_HA = 0.06, c_HB = 0.04, c_AC = 0.1, c_BA = 0.05;
                // t_B = 0.032 t_H, t_A = 0.04928 t_H, t_C = 0.0039424 t_H, t_H = 1 / 1.0852224
                assertThat(engine.trust(net.self())).isCloseTo(0.921470, within(1e-5));
                assertThat(engine.trust(a.id())).isCloseTo(0.045410, within(1e-5));
                assertThat(engine.trust(b.id())).isCloseTo(0.029487, within(1e-5));
                assertThat(engine.trust(c.id())).isCloseTo(0.003633, within(1e-5));
                // karma = 10 · min(1, t / t_A) · (1 + 0.5 tanh(vouched balance / 100))
                assertThat(engine.karma(a.id())).isCloseTo(6.0427, within(1e-4));
                assertThat(engine.karma(b.id())).isCloseTo(6.8171, within(1e-4));
                assertThat(engine.karma(c.id())).isCloseTo(1.1856, within(1e-4));
                assertThat(engine.ranking()).extracting(Ranked::id).containsExactly(b.id(), a.id(), c.id());
                assertThat(engine.ranking()).extracting(Ranked::balanceMilli)
                        .containsExactly(10_000L, -90_000L, 200_000L);
                assertThat(engine.ranked(net.self()).orElseThrow().balanceMilli()).isEqualTo(-120_000L);
            }
            assertThat(rebuilt.lastIterations()).isLessThanOrEqualTo(KarmaConfig.defaults().maxIterations());
        }
    }
}
