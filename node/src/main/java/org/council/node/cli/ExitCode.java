package org.council.node.cli;

/** Exit codes scripts can rely on. */
final class ExitCode {

    static final int OK = 0;
    /** The command failed while running (a node could not start, a council failed). */
    static final int FAILED = 1;
    /** Wrong usage: unknown command or option (picocli's own code). */
    static final int USAGE = 2;
    /** A setting or the data directory is invalid. */
    static final int CONFIG = 3;

    private ExitCode() {
    }
}
