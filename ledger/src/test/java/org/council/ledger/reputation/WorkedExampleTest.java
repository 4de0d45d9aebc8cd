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
                // then: t_H = 0.2 / 0.48288, t_A = 0.608 t_H, t_B = 0.32 t_H, t_C = 0.4864 t_H
                assertThat(engine.trust(net.self())).isCloseTo(0.414182, within(1e-5));
                assertThat(engine.trust(a.id())).isCloseTo(0.251822, within(1e-5));
                assertThat(engine.trust(b.id())).isCloseTo(0.132538, within(1e-5));
                assertThat(engine.trust(c.id())).isCloseTo(0.201458, within(1e-5));
                // karma = 10 · min(1, t / t_A) · (1 + 0.5 tanh(balance / 100))
                assertThat(engine.karma(a.id())).isCloseTo(6.4185, within(1e-4));
                assertThat(engine.karma(b.id())).isCloseTo(5.5254, within(1e-4));
                assertThat(engine.karma(c.id())).isCloseTo(11.8561, within(1e-4));
                assertThat(engine.ranking()).extracting(Ranked::id).containsExactly(c.id(), a.id(), b.id());
                assertThat(engine.ranking()).extracting(Ranked::balanceMilli).containsExactly(200_000L, -90_000L, 10_000L);
                assertThat(engine.ranked(net.self()).orElseThrow().balanceMilli()).isEqualTo(-120_000L);
            }
            assertThat(rebuilt.lastIterations()).isLessThanOrEqualTo(KarmaConfig.defaults().maxIterations());
        }
    }
}
