package org.council.ledger.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/verify_ledger_vectors.py}, an Ed25519 + Protobuf verifier written in plain
 * Python from docs/ledger-format.md alone, over the checked-in vectors: evidence that another
 * implementation can verify them from the document. Skipped where no python3 is installed.
 */
class IndependentVerifierTest {

    @Test
    void pythonVerifierWrittenFromTheDocAcceptsEveryVector() throws Exception {
        Path script = Path.of("..", "scripts", "verify_ledger_vectors.py");
        assumeTrue(Files.exists(script), "verifier script present");
        assumeTrue(onPath("python3"), "python3 installed");

        Process p = new ProcessBuilder("python3", script.toString(), TestVectorsTest.repoFile().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(TestVectors.vectors().size() + " passed, 0 failed");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
