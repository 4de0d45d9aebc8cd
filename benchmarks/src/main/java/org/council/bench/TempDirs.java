package org.council.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A scratch directory for one suite, deleted afterwards whatever happens. */
public final class TempDirs {

    /** Work done in a scratch directory. */
    @FunctionalInterface
    public interface Work {
        void run(Path dir) throws Exception;
    }

    private TempDirs() {
    }

    public static void withTempDir(String prefix, Work work) throws Exception {
        Path root = Files.createTempDirectory(prefix);
        try {
            work.run(root);
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
