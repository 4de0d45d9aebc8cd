package org.council.ledger.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.crypto.Hex;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.store.LedgerAudit;
import org.council.ledger.store.LedgerConfig;
import org.council.ledger.store.rocksdb.RocksLedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer JVM with SIGKILL in the middle of its work, again and again, and proves after
 * each kill that every acknowledged event is on disk, every chain verifies end to end, and the
 * projections equal a fresh replay; strangers' feeds evicted at the feed cap in the middle of it
 * leave no trace but a lower event count.
 */
class CrashIT {

    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void acknowledgedEventsSurviveSigkill() throws Exception {
        byte[] selfSeed = new byte[32];
        byte[] foreignSeed = new byte[32];
        Random random = new Random(42);
        random.nextBytes(selfSeed);
        random.nextBytes(foreignSeed);
        NodeKeyPair self = NodeKeyPair.fromPrivateKey(selfSeed);
        NodeKeyPair foreign = NodeKeyPair.fromPrivateKey(foreignSeed);
        Map<String, String> acked = new HashMap<>(); // "A seq" / "I seq" -> id

        for (int kill = 1; kill <= KILLS; kill++) {
            Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    CrashWriterMain.class.getName(), dir.toString(), Hex.encode(selfSeed), Hex.encode(foreignSeed))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            AtomicInteger lines = new AtomicInteger();
            Map<String, String> thisRun = new java.util.concurrent.ConcurrentHashMap<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String[] f = line.split(" ");
                        if (f.length == 3) {
                            thisRun.put(f[0] + " " + f[1], f[2]);
                            lines.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process died: that is the point
                }
            });
            reader.start();
            // let it get going, then kill it at a random point of its work
            int target = 50 + random.nextInt(1500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.get() < target && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(p.isAlive()).as("writer still running before kill %d", kill).isTrue();
            p.destroyForcibly(); // SIGKILL on Linux
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            assertThat(thisRun).as("acknowledgements in run %d", kill).isNotEmpty();
            acked.putAll(thisRun);

            // reopen and prove
            try (RocksLedgerStore store = RocksLedgerStore.open(dir, self, LedgerConfig.defaults())) {
                for (Map.Entry<String, String> a : acked.entrySet()) {
                    String[] k = a.getKey().split(" ");
                    NodeId author = k[0].equals("A") ? self.id() : foreign.id();
                    var stored = store.event(author, Long.parseLong(k[1]));
                    assertThat(stored).as("acknowledged %s after kill %d", a.getKey(), kill).isPresent();
                    assertThat(stored.get().id().hex()).isEqualTo(a.getValue());
                }
                LedgerAudit.Report report = new LedgerAudit(store).verifyAll();
                assertThat(report.problems()).as("audit after kill %d", kill).isEmpty();
                // strangers' feeds were evicted at the cap: each eviction is whole, with its count
                assertThat(report.events()).as("events after kill %d", kill).isEqualTo(store.eventCount());
                assertThat(store.heads().size()).isLessThanOrEqualTo(CrashWriterMain.MAX_FEEDS);
                assertThat(store.projectionsMatchReplay()).as("projections after kill %d", kill).isTrue();
                // acks settle proposals: whatever was settled is counted exactly once
                long settled = store.account(foreign.id()).servedJobs();
                assertThat(store.account(foreign.id()).earnedMilli()).isEqualTo(settled * 250);
                assertThat(store.account(self.id()).spentMilli()).isEqualTo(settled * 250);
            }
        }
        assertThat(acked.size()).isGreaterThan(KILLS * 50);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
