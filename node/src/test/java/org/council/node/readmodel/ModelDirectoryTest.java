package org.council.node.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.council.crypto.NodeKeyPair;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.SignedEvent;
import org.council.ledger.testing.FeedBuilder;
import org.junit.jupiter.api.Test;

class ModelDirectoryTest {

    private static final long NOW = 1_800_000_000_000L;

    private static SignedEvent announce(FeedBuilder feed, long seq, long timestampMs, String... models) {
        List<EventBody.ModelOffer> offers = new ArrayList<>();
        for (String m : models) {
            offers.add(new EventBody.ModelOffer(m, 8_000, "Q4_K_M", 8192));
        }
        return feed.sign(seq, null, timestampMs, new EventBody.CapabilitiesAnnounced(offers, "", 1, "127.0.0.1:7000"));
    }

    @Test
    void theNewestSeqOfAnAuthorWinsAndAnOlderOneIsIgnored() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults());
        FeedBuilder a = FeedBuilder.random();
        assertThat(d.offer(announce(a, 2, NOW, "llama"), NOW)).isTrue();
        assertThat(d.offer(announce(a, 1, NOW, "qwen"), NOW)).isFalse();
        assertThat(d.offer(announce(a, 2, NOW, "qwen"), NOW)).isFalse();
        assertThat(d.servers("llama", NOW)).extracting(ModelDirectory.Server::node).containsExactly(a.id());
        assertThat(d.servers("qwen", NOW)).isEmpty();
        assertThat(d.offer(announce(a, 3, NOW + 1, "qwen"), NOW)).isTrue();
        assertThat(d.servers("llama", NOW)).isEmpty();
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.models()).isEqualTo(1);
    }

    @Test
    void aHoldingIsTheNewestAnnouncementOfExactlyThatNameAndItsServerCount() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults());
        FeedBuilder older = FeedBuilder.random();
        FeedBuilder newer = FeedBuilder.random();
        d.offer(announce(older, 1, NOW - 5_000, "llama", "qwen"), NOW);
        d.offer(announce(newer, 1, NOW - 1_000, "llama"), NOW);

        ModelDirectory.Holding llama = d.holding("llama", NOW);
        assertThat(llama.servers()).isEqualTo(2);
        // the entry the listing (all(), newest first) would take for this name
        assertThat(llama.caps()).isEqualTo(d.all(NOW).values().stream()
                .filter(c -> c.models().stream().anyMatch(o -> o.name().equals("llama"))).findFirst().orElseThrow());
        assertThat(llama.caps()).isEqualTo(d.of(newer.id(), NOW));
        assertThat(d.holding("qwen", NOW).servers()).isEqualTo(1);
        assertThat(d.holding("llama:latest", NOW)).as("exact names only").isNull();
        assertThat(d.holding("phi", NOW)).isNull();
    }

    @Test
    void onlyAnnouncementsOfBoundedSizeDatedNotInTheFutureEnter() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults());
        FeedBuilder a = FeedBuilder.random();
        SignedEvent other = a.sign(1, null, NOW, FeedBuilder.proposal(NodeKeyPair.generate().id(), 1_000));
        assertThat(d.problem(other, NOW)).contains("not a capabilities announcement");
        assertThat(d.offer(other, NOW)).isFalse();
        SignedEvent future = announce(a, 1, NOW + Duration.ofHours(1).toMillis(), "llama");
        assertThat(d.problem(future, NOW)).contains("future");
        String[] many = new String[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = "model-with-a-long-enough-name-" + i;
        }
        SignedEvent huge = announce(a, 1, NOW, many);
        assertThat(huge.size()).isGreaterThan(8 * 1024);
        assertThat(d.problem(huge, NOW)).contains("bytes");
        assertThat(d.offer(huge, NOW)).isFalse();
        assertThat(d.size()).isZero();
    }

    @Test
    void announcementsOlderThanTheMaxAgeExpire() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults());
        long day = Duration.ofHours(24).toMillis();
        FeedBuilder old = FeedBuilder.random();
        FeedBuilder fresh = FeedBuilder.random();
        assertThat(d.offer(announce(old, 1, NOW - day - 1, "llama"), NOW)).isFalse(); // already too old
        assertThat(d.offer(announce(old, 2, NOW - day + 1_000, "llama"), NOW)).isTrue();
        assertThat(d.offer(announce(fresh, 1, NOW, "llama"), NOW)).isTrue();
        assertThat(d.servers("llama", NOW)).hasSize(2);
        assertThat(d.servers("llama", NOW + 2_000)).extracting(ModelDirectory.Server::node).containsExactly(fresh.id());
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.recent(10, NOW + 2_000)).hasSize(1);
    }

    @Test
    void theAuthorCapEvictsTheOldestAndMemoryStaysBounded() {
        // 100 authors a model: the author cap, not the per-model one, is what this exercises
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults().withMaxAuthors(100).withMaxPerModel(100));
        List<SignedEvent> offered = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            SignedEvent e = announce(FeedBuilder.random(), 1, NOW - 1_000_000 + i, "m" + (i % 10));
            offered.add(e);
            d.offer(e, NOW);
        }
        assertThat(d.size()).isEqualTo(100);
        assertThat(d.bytes()).isLessThanOrEqualTo(100L * 8 * 1024);
        // the newest stay, newest first
        List<SignedEvent> newest = new ArrayList<>(offered.subList(900, 1_000));
        Collections.reverse(newest);
        assertThat(d.recent(1_000, NOW)).containsExactlyElementsOf(newest);
        // an announcement older than all held does not displace any
        assertThat(d.offer(announce(FeedBuilder.random(), 1, NOW - 2_000_000, "m0"), NOW)).isFalse();
        assertThat(d.size()).isEqualTo(100);
    }

    @Test
    void oneModelNameCannotFillTheDirectory() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults().withMaxAuthors(100).withMaxPerModel(10));
        FeedBuilder honest = FeedBuilder.random();
        d.offer(announce(honest, 1, NOW - 10, "qwen"), NOW);
        for (int i = 0; i < 500; i++) {
            d.offer(announce(FeedBuilder.random(), 1, NOW - 5 + (i % 5), "spam"), NOW);
        }
        assertThat(d.servers("spam", NOW)).hasSize(10);
        assertThat(d.servers("qwen", NOW)).extracting(ModelDirectory.Server::node).containsExactly(honest.id());
        assertThat(d.size()).isEqualTo(11);
    }

    @Test
    void tenThousandTypicalAnnouncementsFitWellWithinTheByteBound() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults().withMaxPerModel(1_000));
        for (int i = 0; i < 10_000; i++) {
            int v = i % 20; // 20 variants of each: 500 servers a model, under the per-model cap
            assertThat(d.offer(announce(FeedBuilder.random(), 1, NOW - i, "llama3.1:8b-" + v, "qwen2.5:7b-" + v,
                    "nomic-embed-text-" + v), NOW)).isTrue();
        }
        assertThat(d.size()).isEqualTo(10_000);
        assertThat(d.models()).isEqualTo(60);
        // the cap is reached by authors, not bytes: about 230 bytes an announcement of three models
        assertThat(d.bytes()).isLessThan(d.limits().maxBytes() / 4);
        System.out.println("model directory: 10,000 announcements of 3 models hold " + d.bytes() + " envelope bytes");
    }

    @Test
    void aSybilFloodArrivingFirstCannotPinAFullModelSlot() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults(), new java.util.Random(7));
        int k = d.limits().maxPerModel();
        for (int i = 0; i < k; i++) {
            assertThat(d.offer(announce(FeedBuilder.random(), 1, NOW, "rare"), NOW)).isTrue();
        }
        List<FeedBuilder> honest = new ArrayList<>();
        int taken = 0;
        for (int i = 0; i < 1_000; i++) {
            FeedBuilder h = FeedBuilder.random();
            honest.add(h);
            taken += d.offer(announce(h, 1, NOW, "rare"), NOW) ? 1 : 0;
        }
        assertThat(d.servers("rare", NOW)).hasSize(k);
        // a uniform sample of the 1,008 offered: the first comers do not stay
        List<org.council.crypto.NodeId> ids = honest.stream().map(FeedBuilder::id).toList();
        assertThat(d.servers("rare", NOW)).filteredOn(s -> ids.contains(s.node())).hasSizeGreaterThan(k / 2);
        // what is passed on (offer true) grows with the log of the newcomers, not with their number: k(1 + ln(1008/k)) ~ 47
        assertThat(taken).isBetween(k, 100);
    }

    @Test
    void aFullSlotNeverGivesUpAKnownGoodServerForAStranger() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults(), new java.util.Random(7));
        int k = d.limits().maxPerModel();
        List<org.council.crypto.NodeId> good = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            FeedBuilder f = FeedBuilder.random();
            d.offer(announce(f, 1, NOW - 1_000, "rare"), NOW);
            if (i < k / 2) {
                good.add(f.id());
            }
        }
        d.keep(good::contains);
        for (int i = 0; i < 5_000; i++) { // Sybils with fresher timestamps
            d.offer(announce(FeedBuilder.random(), 1, NOW, "rare"), NOW);
        }
        assertThat(d.servers("rare", NOW)).hasSize(k).extracting(ModelDirectory.Server::node).containsAll(good);

        d.keep(id -> true); // all known good: a stranger never enters
        FeedBuilder stranger = FeedBuilder.random();
        for (int i = 0; i < 100; i++) {
            assertThat(d.offer(announce(FeedBuilder.random(), 1, NOW, "rare"), NOW)).isFalse();
        }
        // one drawn against is not news again (no second signature check, no second draw) until its next seq
        FeedBuilder refused = FeedBuilder.random();
        assertThat(d.offer(announce(refused, 1, NOW, "rare"), NOW)).isFalse();
        assertThat(d.isNews(announce(refused, 1, NOW, "rare"), NOW)).isFalse();
        assertThat(d.isNews(announce(refused, 2, NOW, "rare"), NOW)).isTrue();
        assertThat(d.offer(announce(stranger, 1, NOW, "other"), NOW)).isTrue(); // another model has room
    }

    @Test
    void roomUnderAFreshModelNameBuysNoPlaceInAFullSlot() {
        ModelDirectory d = new ModelDirectory(ModelDirectory.Limits.defaults(), new java.util.Random(11));
        int k = d.limits().maxPerModel();
        for (int i = 0; i < k; i++) {
            d.offer(announce(FeedBuilder.random(), 1, NOW, "rare"), NOW);
        }
        int taken = 0;
        for (int i = 0; i < 1_000; i++) { // each names the full model and one of its own, which has room
            taken += d.offer(announce(FeedBuilder.random(), 1, NOW, "rare", "junk-" + i), NOW) ? 1 : 0;
        }
        assertThat(d.servers("rare", NOW)).hasSize(k);
        assertThat(taken).isLessThan(100); // the draw of the full slot, not 1,000
    }
}
