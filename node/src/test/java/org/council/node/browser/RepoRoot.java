package org.council.node.browser;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root from a module's working directory (Maven runs tests in the module). */
public final class RepoRoot {

    private RepoRoot() {
    }

    /** The nearest directory up from the working directory that holds {@code docs/ledger-format.md}. */
    public static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs/ledger-format.md")) && Files.isDirectory(p.resolve("scripts"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the Council repository: " + Path.of("").toAbsolutePath());
    }
}
