package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final AtomicLong clock = new AtomicLong();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private String printed() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineShowsCountPercentageRateAndTimeLeft() {
        Progress p = new Progress("verifying", 1_000, out, false, clock::get);
        clock.set(2_000_000_000L);
        assertThat(p.line(250, clock.get()))
                .isEqualTo("verifying [######..................] 250/1,000 (25%), 125/s, ETA 0:06");
        assertThat(p.line(1_000, clock.get())).endsWith("(100%), 500/s, 0:02 elapsed");
        assertThat(new Progress("exporting", 0, out, false, clock::get).line(7, clock.get())).startsWith("exporting 7, ");
        assertThat(Progress.duration(3_725)).isEqualTo("1:02:05");
    }

    @Test
    void withoutATerminalALineIsPrintedEveryFewSecondsOnly() {
        Progress p = new Progress("verifying", 100, out, false, clock::get);
        p.update(10);
        clock.addAndGet(Progress.LINE_NANOS - 1);
        p.update(20);
        assertThat(printed()).isEmpty();
        clock.addAndGet(1);
        p.update(30);
        p.update(40);
        p.finish(100);
        assertThat(printed().lines().toList()).hasSize(2).allMatch(l -> !l.contains("\r"));
        assertThat(printed()).contains("30/100").contains("100/100");
    }

    @Test
    void aShortRunWithoutATerminalPrintsNothing() {
        Progress p = new Progress("verifying", 100, out, false, clock::get);
        p.update(50);
        p.finish(100);
        assertThat(printed()).isEmpty();
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlace() {
        Progress p = new Progress("verifying", 100, out, true, clock::get);
        clock.addAndGet(Progress.REDRAW_NANOS);
        p.update(10);
        clock.addAndGet(Progress.REDRAW_NANOS);
        p.update(20);
        p.finish(100);
        String s = printed();
        assertThat(s).startsWith("\rverifying").endsWith("\n");
        assertThat(s.chars().filter(c -> c == '\r')).hasSize(3);
        assertThat(s.chars().filter(c -> c == '\n')).hasSize(1);
    }
}
