package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.council.crypto.NodeId;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.council.node.Node;
import org.council.node.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose data dir is an old copy, or empty but for its key, recovers its own feed from its
 * peers before it signs anything: its feed never forks and no peer records it as an equivocator.
 */
class OwnFeedRecoveryIT {

    private static final Duration CONVERGE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aNodeRestoredFromAnOldBackupSignsNothingUntilItHoldsItsRealHead() {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            Node b = cluster.start("b", List.of(seed(a)));
            Node c = cluster.start("c", List.of(seed(b)));
            ReplicationIT.appendConcurrentlyWithReceipts(List.of(a, b, c), 20);
            cluster.awaitConverged(CONVERGE);
            ReplicationIT.acknowledgeEverything(List.of(a, b, c));
            cluster.awaitConverged(CONVERGE);

            // the backup: a copy of a's data dir, taken while a is stopped (RocksDB files are not copied live)
            Path aDir = a.config().dataDir();
            NodeId aId = a.id();
            cluster.stop(a);
            Path backup = dir.resolve("backup");
            copy(aDir, backup);
            a = cluster.start("a", List.of(seed(b), seed(c)));
            appendOwn(a, 100);
            cluster.awaitConverged(CONVERGE);
            List<SignedEvent> realFeed = feed(b, aId);
            long realHead = realFeed.size();

            cluster.stop(a);
            delete(aDir);
            copy(backup, aDir);
            Node restored = cluster.start("a", List.of(seed(b), seed(c)));
            assertThat(restored.id()).isEqualTo(aId);
            TestCluster.awaitTrue(() -> restored.store().head(aId).orElseThrow().seq() >= realHead, CONVERGE,
                    () -> "the restored node did not recover its feed: " + cluster.describe());

            // every seq up to the real head holds the original event: the restored copy signed none of its own
            assertThat(feed(restored, aId).subList(0, (int) realHead)).isEqualTo(realFeed);
            SignedEvent next = restored.store().append(FeedBuilder.capabilities("after-restore")).join();
            assertThat(next.seq()).isGreaterThan(realHead);
            cluster.awaitConverged(CONVERGE);
            for (Node n : cluster.nodes()) {
                assertThat(n.store().equivocations()).as("proofs at " + n.id().shortHex()).isEmpty();
                assertThat(n.store().isEquivocator(aId)).isFalse();
            }
        }
    }

    @Test
    void aNodeWithOnlyItsOldKeyRecoversItsWholeFeedAndContinuesIt() throws IOException {
        try (TestCluster cluster = new TestCluster(dir)) {
            Node a = cluster.start("a", List.of());
            Node b = cluster.start("b", List.of(seed(a)));
            Node c = cluster.start("c", List.of(seed(b)));
            ReplicationIT.appendConcurrentlyWithReceipts(List.of(a, b, c), 30);
            cluster.awaitConverged(CONVERGE);
            NodeId aId = a.id();
            Path key = a.config().keyFile();
            List<SignedEvent> realFeed = feed(b, aId);
            cluster.stop(a);

            Path fresh = dir.resolve("a-fresh");
            Path freshKey = fresh.resolve(dir.resolve("a").relativize(key));
            Files.createDirectories(freshKey.getParent());
            Files.copy(key, freshKey);
            Node recovered = cluster.start("a-fresh", List.of(seed(b), seed(c)));
            assertThat(recovered.id()).isEqualTo(aId);
            TestCluster.awaitTrue(() -> recovered.store().head(aId).map(h -> h.seq()).orElse(0L) >= realFeed.size(),
                    CONVERGE, () -> "the feed was not recovered: " + cluster.describe());
            assertThat(feed(recovered, aId).subList(0, realFeed.size())).isEqualTo(realFeed);

            SignedEvent next = recovered.store().append(FeedBuilder.capabilities("continued")).join();
            assertThat(next.seq()).isGreaterThan(realFeed.size());
            cluster.awaitConverged(CONVERGE);
            for (Node n : cluster.nodes()) {
                assertThat(n.store().equivocations()).as("proofs at " + n.id().shortHex()).isEmpty();
            }
        }
    }

    private static String seed(Node n) {
        return n.id().hex() + "@" + n.address();
    }

    private static void appendOwn(Node n, int count) {
        List<CompletableFuture<SignedEvent>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(n.store().append(FeedBuilder.capabilities("later-" + i)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private static List<SignedEvent> feed(Node holder, NodeId author) {
        try (Stream<SignedEvent> s = holder.store().feed(author, 1, Integer.MAX_VALUE)) {
            return s.toList();
        }
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p));
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
