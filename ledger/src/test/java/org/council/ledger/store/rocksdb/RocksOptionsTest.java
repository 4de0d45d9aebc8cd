package org.council.ledger.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The options RocksDB actually opened the ledger with (its OPTIONS file): the column families
 * whose point reads mostly miss have memtable bloom filters, the others, written far more, none.
 */
class RocksOptionsTest {

    @TempDir
    Path dir;

    private final StoreFixture fixture = new StoreFixture();

    @Test
    void pointMissColumnFamiliesHaveMemtableBloomFiltersAndTheOthersNone() throws IOException {
        fixture.open(dir, NodeKeyPair.generate()).close(); // the OPTIONS file outlives the store
        List<String> options = latestOptionsFile(dir);
        for (String cf : List.of("event_ids", "projections", "equivocations")) {
            assertThat(section(options, cf)).as(cf)
                    .contains("memtable_whole_key_filtering=true", "memtable_prefix_bloom_size_ratio=0.010000");
        }
        for (String cf : List.of("events", "heads", "meta")) {
            assertThat(section(options, cf)).as(cf)
                    .contains("memtable_whole_key_filtering=false", "memtable_prefix_bloom_size_ratio=0.000000");
        }
    }

    private static List<String> latestOptionsFile(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Path latest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max((a, b) -> Long.compare(number(a), number(b))).orElseThrow();
            return Files.readAllLines(latest).stream().map(String::trim).toList();
        }
    }

    private static long number(Path options) {
        return Long.parseLong(options.getFileName().toString().substring("OPTIONS-".length()));
    }

    /** The lines of {@code [CFOptions "name"]}, up to the next section. */
    private static List<String> section(List<String> lines, String cf) {
        int start = lines.indexOf("[CFOptions \"" + cf + "\"]");
        assertThat(start).as("options section of " + cf).isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("[")) {
            end++;
        }
        return lines.subList(start + 1, end);
    }
}
