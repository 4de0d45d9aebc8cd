package org.council.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.council.crypto.NodeId;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The address book cannot be poisoned: bounded per source, claimed ids ignored, private ranges refused. */
class AddressBookTest {

    private Vertx vertx;
    private Context context;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T on(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private static WireMessage.PeerAddress addr(String host, int port) {
        return new WireMessage.PeerAddress(NodeKeyPair.generate().id(), host, port);
    }

    /** 10,000 public addresses over many /16s, as one flooding source would send them. */
    private static List<WireMessage.PeerAddress> flood(int n) {
        NodeId claimed = NodeKeyPair.generate().id();
        List<WireMessage.PeerAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new WireMessage.PeerAddress(claimed, (11 + i % 200) + "." + (i / 200 % 250) + ".7." + (i % 250), 7400));
        }
        return out;
    }

    @Test
    void oneSourceFloodingTenThousandAddressesFillsAtMostItsBuckets() throws Exception {
        AddressBook book = new AddressBook(context, false);
        int bound = AddressBook.BUCKETS_PER_SOURCE * AddressBook.BUCKET_SIZE;
        int size = on(() -> {
            List<WireMessage.PeerAddress> all = flood(10_000);
            // peer lists arrive a message at a time; each message is read up to its limit
            for (int i = 0; i < all.size(); i += AddressBook.MAX_PER_MESSAGE) {
                book.learn(all.subList(i, Math.min(all.size(), i + AddressBook.MAX_PER_MESSAGE)), "198.51.100.7", false);
            }
            return book.size();
        });
        assertThat(size).isLessThanOrEqualTo(bound);
        // another source (another /16) still gets its addresses in. Its addresses span 16 netgroups, so
        // they use all of its buckets: the bucket choice is keyed by a random secret, and one bucket
        // alone may be one the flooder already filled (about 1 run in 16).
        int after = on(() -> {
            List<WireMessage.PeerAddress> other = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                other.add(addr((60 + i) + ".20.113.50", 7400));
            }
            book.learn(other, "192.0.2.1", false);
            return book.size();
        });
        assertThat(after).isGreaterThan(size);
        // a source in the flooder's /16 shares its buckets: nothing more than the bound for the group
        int sameGroup = on(() -> {
            book.learn(flood(2_000).subList(0, AddressBook.MAX_PER_MESSAGE), "198.51.200.9", false);
            return book.size();
        });
        assertThat(sameGroup - (after - size)).isLessThanOrEqualTo(bound);
    }

    @Test
    void privateAndLoopbackAddressesFromRemotePeersAreNotKeptUnlessConfigured() throws Exception {
        List<WireMessage.PeerAddress> local = List.of(addr("127.0.0.1", 7400), addr("10.1.2.3", 7400),
                addr("192.168.1.9", 7400), addr("172.16.0.1", 7400), addr("169.254.1.1", 7400), addr("100.64.0.1", 7400),
                addr("::1", 7400), addr("fd00::1", 7400), addr("0.0.0.0", 7400), addr("localhost", 7400),
                addr("evil.example", 7400));
        AddressBook strict = new AddressBook(context, false);
        assertThat(on(() -> {
            strict.learn(local, "198.51.100.7", false);
            return strict.size();
        })).isZero();
        assertThat(on(() -> {
            strict.learn(List.of(addr("192.168.1.9", 7400)), "192.168.1.9", true); // LAN discovery: local by design
            strict.learn(List.of(addr("8.8.4.4", 7400)), "198.51.100.7", false);
            return strict.size();
        })).isEqualTo(2);
        AddressBook relaxed = new AddressBook(context, true);
        assertThat(on(() -> {
            relaxed.learn(local, "198.51.100.7", false);
            return relaxed.size();
        })).as("loopback and private kept when configured; names never").isEqualTo(local.size() - 2);
    }

    @Test
    void aClaimedIdIsNeverEnforcedAndOnlyWorkingAddressesAreShared() throws Exception {
        AddressBook book = new AddressBook(context, false);
        NodeId liar = NodeKeyPair.generate().id();
        NodeId real = NodeKeyPair.generate().id();
        List<WireMessage.PeerAddress> shared = on(() -> {
            book.learn(List.of(new WireMessage.PeerAddress(liar, "8.8.4.4", 7400)), "198.51.100.7", false);
            AddressBook.KnownPeer k = book.all().get(0);
            assertThat(k.expectedId).as("a learned address carries no expected id").isNull();
            assertThat(book.shareable(null, 32)).as("not seen to work: not shared").isEmpty();
            book.worked(k, real);
            return book.shareable(null, 32);
        });
        assertThat(shared).containsExactly(new WireMessage.PeerAddress(real, "8.8.4.4", 7400));
    }

    @Test
    void aLearnedAddressFailingRepeatedlyIsForgotten() throws Exception {
        AddressBook book = new AddressBook(context, false);
        int size = on(() -> {
            book.learn(List.of(addr("8.8.4.4", 7400)), "198.51.100.7", false);
            AddressBook.KnownPeer k = book.all().get(0);
            for (int i = 0; i < AddressBook.MAX_FAILURES; i++) {
                book.failed(k);
            }
            return book.size();
        });
        assertThat(size).isZero();
    }

    @Test
    void netgroupsAreSlash16ForIpv4AndSlash32ForIpv6HostsAreSlash64() {
        assertThat(NetAddress.netgroup("203.0.113.5")).isEqualTo(NetAddress.netgroup("203.0.7.9"));
        assertThat(NetAddress.netgroup("203.0.113.5")).isNotEqualTo(NetAddress.netgroup("203.1.113.5"));
        assertThat(NetAddress.hostKey("2001:db8:1:2::1")).isEqualTo(NetAddress.hostKey("2001:db8:1:2:ffff::9"));
        assertThat(NetAddress.hostKey("2001:db8:1:2::1")).isNotEqualTo(NetAddress.hostKey("2001:db8:1:3::1"));
        assertThat(NetAddress.netgroup("2001:db8:1:2::1")).isEqualTo(NetAddress.netgroup("2001:db8:ffff::1"));
        // non-routable addresses: each its own group (tests use 127.0.0.2, 127.0.0.3... as other hosts)
        assertThat(NetAddress.netgroup("127.0.0.2")).isNotEqualTo(NetAddress.netgroup("127.0.0.3"));
        assertThat(NetAddress.literal("example.org")).as("no DNS lookups").isNull();
    }
}
