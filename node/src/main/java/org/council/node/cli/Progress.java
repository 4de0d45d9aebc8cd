package org.council.node.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress report on standard error for long runs: done / total, percentage, rate and time
 * left. On a terminal one line is redrawn in place (at most ten times a second); otherwise (a log,
 * a pipe) a plain line is printed every few seconds. Thread-safe.
 */
final class Progress {

    static final long REDRAW_NANOS = 100_000_000L;
    static final long LINE_NANOS = 5_000_000_000L;
    private static final int BAR = 24;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long started;
    private long lastShown;
    private boolean shown;
    private int width;

    Progress(String label, long total, PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.lastShown = started;
    }

    /** On standard error; redrawn in place when this program runs in a terminal. */
    static Progress onStderr(String label, long total) {
        // The JDK cannot tell whether stderr alone is a terminal; a console means stdin and stdout are.
        return new Progress(label, total, System.err, System.console() != null, System::nanoTime);
    }

    /** Reports {@code done} units; shown only when the last report is old enough. */
    synchronized void update(long done) {
        long now = nanoClock.getAsLong();
        if (now - lastShown < (terminal ? REDRAW_NANOS : LINE_NANOS)) {
            return;
        }
        lastShown = now;
        show(done, now);
    }

    /** The final count: completes the in-place line, or prints a last line if any was printed. */
    synchronized void finish(long done) {
        if (terminal || shown) {
            show(done, nanoClock.getAsLong());
        }
        if (terminal && shown) {
            out.println();
        }
        out.flush();
    }

    private void show(long done, long now) {
        String line = line(done, now);
        if (terminal) {
            String padded = line.length() < width ? line + " ".repeat(width - line.length()) : line;
            width = line.length();
            out.print("\r" + padded);
        } else {
            out.println(line);
        }
        out.flush();
        shown = true;
    }

    String line(long done, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = done / seconds;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            long shownDone = Math.min(done, total);
            int filled = (int) (BAR * shownDone / total);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%,d/%,d (%d%%)", done, total, 100 * shownDone / total));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d", done));
        }
        sb.append(String.format(Locale.ROOT, ", %,.0f/s", rate));
        if (total > 0 && done > 0 && done < total) {
            sb.append(", ETA ").append(duration((long) ((total - done) / rate)));
        } else {
            sb.append(", ").append(duration((long) seconds)).append(" elapsed");
        }
        return sb.toString();
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
