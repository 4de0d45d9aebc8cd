package org.council.bench;

/** One named group of benchmarks runnable through {@code scripts/bench NAME}. */
public interface BenchSuite {

    /** The suite name as typed on the command line ({@code ledger}, {@code scheduler}, ...). */
    String name();

    /** Runs every benchmark of the suite, reporting one result line per benchmark. */
    void run(BenchReporter reporter) throws Exception;
}
