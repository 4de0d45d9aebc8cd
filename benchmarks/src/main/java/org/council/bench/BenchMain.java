package org.council.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.council.bench.api.ApiBench;
import org.council.bench.hostile.HostileBench;
import org.council.bench.inference.InferenceBench;
import org.council.bench.karma.KarmaBench;
import org.council.bench.ledger.LedgerBench;
import org.council.bench.node.NodeBench;
import org.council.bench.replication.ReplicationBench;
import org.council.bench.scale.ScaleBench;
import org.council.bench.scheduler.SchedulerBench;

/** Entry point of {@code scripts/bench SUITE}: runs one suite, or {@code all}. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, BenchSuite> suites = new LinkedHashMap<>();
        for (BenchSuite s : List.of(new LedgerBench(), new ReplicationBench(), new SchedulerBench(),
                new ApiBench(), new InferenceBench(), new KarmaBench(), new NodeBench(), new HostileBench(), new ScaleBench())) {
            suites.put(s.name(), s);
        }
        if (args.length != 1 || !(args[0].equals("all") || suites.containsKey(args[0]))) {
            System.err.println("usage: scripts/bench SUITE   where SUITE is one of: "
                    + String.join(", ", suites.keySet()) + ", all");
            System.exit(2);
        }
        BenchReporter reporter = new BenchReporter(System.out, System.err);
        for (BenchSuite suite : suites.values()) {
            if (args[0].equals("all") || args[0].equals(suite.name())) {
                reporter.progress("suite %s", suite.name());
                suite.run(reporter);
            }
        }
    }
}
