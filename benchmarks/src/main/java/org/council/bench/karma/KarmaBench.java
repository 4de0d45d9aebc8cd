package org.council.bench.karma;

import java.util.LinkedHashMap;
import java.util.Map;
import org.council.bench.BenchReporter;
import org.council.bench.BenchSuite;
import org.council.bench.TempDirs;
import org.council.ledger.reputation.KarmaEngine;

/**
 * {@code scripts/bench karma}: attacks on reputation, each run with the real {@link KarmaEngine}
 * (default settings) on a real ledger, from an honest node H's point of view. One
 * {@code karma.attack} line per attack: {@code value} is the attacker's karma (priority weight) at H
 * over that of the honest peer named in {@code reference} (for {@code k20_garbage_servers} the share
 * of H's outgoing trust, which is what issue 12 bounds there; for {@code id_grinding_*} the exact
 * share of jobs or seats over the fair one), {@code limit}/{@code bound} the target of issue 12,
 * {@code trust_share} where it applies. The base world: five honest peers that served H
 * 4 × 100 credits each and each other 2 × 20, fifteen days ago (past probation); peer B also used
 * 600 credits of P3's service, so it is in debt. docs/reputation.md explains every bound.
 */
public final class KarmaBench implements BenchSuite {

    @Override
    public String name() {
        return "karma";
    }

    @Override
    public void run(BenchReporter reporter) throws Exception {
        TempDirs.withTempDir("council-bench-karma", root -> {
            KarmaAttacks s = new KarmaAttacks(root);
            report(reporter, "sybil_ring_50_no_leak", s.ring(false), 0.05);
            report(reporter, "sybil_ring_50_one_leaked_edge", s.ring(true), 0.05);
            report(reporter, "k20_garbage_servers", s.garbageServers(), 0.10);
            report(reporter, "a_sybil_cycle", s.cycle(1), 1.05);
            report(reporter, "a_sybil_cycle_10", s.cycle(10), 1.05);
            report(reporter, "a_sybil_cycle_3", s.cycle3(false), 1.05);
            report(reporter, "a_sybil_cycle_3_backdated", s.cycle3(true), 1.05);
            report(reporter, "balance_pumping", s.pumping(), 1.05);
            KarmaGrinding g = new KarmaGrinding(s);
            report(reporter, "id_grinding_routing", g.grindRouting(), 1.0);
            report(reporter, "id_grinding_council", g.grindCouncil(), 1.0);
            report(reporter, "inflated_claim", KarmaClaims.inflated(), 0.0);
        });
    }

    private static void report(BenchReporter reporter, String attack, Map<String, Object> fields, double bound) {
        double value = (double) fields.remove("value");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("attack", attack);
        extra.put("bound", bound);
        extra.putAll(fields);
        reporter.result("karma.attack", value, "x", bound, extra);
    }
}
