package org.council.bridge.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.Test;

class FairQueueTest {

    private static final RequesterId RICH = RequesterId.of("rich");
    private static final RequesterId POOR = RequesterId.of("poor");
    private static final RequesterId STRANGER = RequesterId.of("stranger");
    private static final List<String> LANE = List.of("m");

    private final VirtualClock clock = new VirtualClock();
    private final Map<RequesterId, Double> karma = Map.of(RICH, 4.0, POOR, 1.0);

    private FairQueue<String> queue(SchedulerConfig config) {
        return new FairQueue<>(config, r -> karma.getOrDefault(r, 0.0), clock);
    }

    private static Ticket<String> admitted(Admission<String> a) {
        assertThat(a).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted<String>) a).ticket();
    }

    private static List<String> drain(FairQueue<String> q) {
        List<String> order = new ArrayList<>();
        Ticket<String> t;
        while ((t = q.poll(LANE)) != null) {
            order.add(t.payload());
        }
        return order;
    }

    @Test
    void backloggedRequestersAreServedInProportionToTheirWeights() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(100, 50));
        for (int i = 0; i < 20; i++) {
            q.offer(POOR, "m", 1, "poor");
            q.offer(RICH, "m", 1, "rich");
        }

        List<String> firstTen = drain(q).subList(0, 10);

        assertThat(firstTen.stream().filter("rich"::equals).count()).isEqualTo(8);
    }

    @Test
    void unknownRequestersGetTheFloorWeightNotNothing() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(100, 50));
        for (int i = 0; i < 30; i++) {
            q.offer(STRANGER, "m", 1, "stranger");
            q.offer(POOR, "m", 1, "poor");
        }

        List<String> firstTwentyTwo = drain(q).subList(0, 22);

        // weight 1 against the floor 0.1: ten to one
        assertThat(firstTwentyTwo.stream().filter("stranger"::equals).count()).isEqualTo(2);
    }

    @Test
    void theNodesOwnUserGoesFirstInArrivalOrder() {
        FairQueue<String> q = queue(SchedulerConfig.defaults());
        q.offer(RICH, "m", 1, "rich");
        q.offer(RequesterId.LOCAL, "m", 5, "local-1");
        q.offer(RequesterId.LOCAL, "m", 1, "local-2");

        assertThat(drain(q)).containsExactly("local-1", "local-2", "rich");
    }

    @Test
    void ageingLetsAnOldLowWeightRequestPassNewcomers() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withAgeing(1.0));
        q.offer(STRANGER, "m", 1, "old stranger"); // 10 units ahead of V
        clock.advanceNanos(Duration.ofSeconds(11).toNanos());
        q.offer(RICH, "m", 1, "new rich"); // 0.25 units ahead, but 11 s later

        assertThat(drain(q)).containsExactly("old stranger", "new rich");
    }

    @Test
    void overdueRequestsAreServedOldestFirst() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withAgeing(0.0001).withMaxAge(Duration.ofSeconds(60)));
        q.offer(STRANGER, "m", 1, "stranger");
        clock.advanceNanos(Duration.ofSeconds(30).toNanos());
        q.offer(RICH, "m", 1, "rich-1");
        assertThat(q.poll(LANE).payload()).isEqualTo("rich-1");
        q.offer(RICH, "m", 1, "rich-2");
        clock.advanceNanos(Duration.ofSeconds(31).toNanos());

        assertThat(drain(q)).containsExactly("stranger", "rich-2");
    }

    @Test
    void perRequesterBoundRejectsAtOnceWithARetryAfterHint() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(10, 2));
        q.offer(POOR, "m", 1, "a");
        q.offer(POOR, "m", 1, "b");

        Admission<String> third = q.offer(POOR, "m", 1, "c");

        assertThat(third).isInstanceOfSatisfying(Admission.Rejected.class, r -> {
            assertThat(r.reason()).contains("poor");
            assertThat(r.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(300));
        });
        assertThat(q.offer(RICH, "m", 1, "d")).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void theRetryAfterHintIsTheTimeForWhatOutranksTheRefusedRequestToDrain() {
        // given: a full queue, one slot, 10 s per job; keys rich 0.25, 0.5, poor 1, 2, stranger 10, 20
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(6, 2));
        for (RequesterId r : List.of(RICH, RICH, POOR, POOR, STRANGER, STRANGER)) {
            admitted(q.offer(r, "m", 1, r.value()));
        }

        // when: each requester is refused its third request
        Admission<String> rich = q.offer(RICH, "m", 1, "rich");
        Admission<String> poor = q.offer(POOR, "m", 1, "poor");
        Admission<String> stranger = q.offer(STRANGER, "m", 1, "stranger");

        // then: 2, 4 and 6 waiting requests outrank them
        assertThat(((Admission.Rejected<String>) rich).retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(((Admission.Rejected<String>) poor).retryAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(((Admission.Rejected<String>) stranger).retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(q.retryAfterWhenFull()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aFullQueueRejectsLowerPriorityAndPushesOutForHigher() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(2, 2));
        q.offer(POOR, "m", 1, "poor-1");
        q.offer(STRANGER, "m", 1, "stranger-1");

        Admission<String> stranger = q.offer(STRANGER, "m", 1, "stranger-2");
        Admission<String> rich = q.offer(RICH, "m", 1, "rich-1");

        assertThat(stranger).isInstanceOf(Admission.Rejected.class);
        assertThat(rich).isInstanceOfSatisfying(Admission.Admitted.class,
                a -> assertThat(((Ticket<?>) a.evicted().orElseThrow()).payload()).isEqualTo("stranger-1"));
        assertThat(q.size()).isEqualTo(2);
        assertThat(drain(q)).containsExactly("rich-1", "poor-1");
    }

    @Test
    void removingAWaitingTicketFreesItsPlace() {
        FairQueue<String> q = queue(SchedulerConfig.defaults().withBounds(10, 1));
        Ticket<String> t = admitted(q.offer(POOR, "m", 1, "a"));

        assertThat(q.remove(t)).isTrue();
        assertThat(q.remove(t)).isFalse();
        assertThat(q.size()).isZero();
        assertThat(q.offer(POOR, "m", 1, "b")).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void lanesAreServedOnlyByTheirOwnPollers() {
        FairQueue<String> q = queue(SchedulerConfig.defaults());
        q.offer(RICH, "a", 1, "in a");
        q.offer(RICH, "b", 1, "in b");

        assertThat(q.poll(List.of("b")).payload()).isEqualTo("in b");
        assertThat(q.poll(List.of("b"))).isNull();
        assertThat(q.poll(List.of("a", "b")).payload()).isEqualTo("in a");
    }

    @Test
    void reportsWaitingPerRequesterAndEstimatedWait() {
        FairQueue<String> q = queue(SchedulerConfig.defaults());
        q.serviceSlots(2);
        q.offer(POOR, "m", 1, "a");
        q.offer(POOR, "m", 1, "b");
        q.offer(RICH, "m", 1, "c");
        q.recordService(Duration.ofSeconds(10).toNanos()); // estimate stays 10 s

        assertThat(q.waitingPerRequester()).containsExactlyInAnyOrderEntriesOf(Map.of(POOR, 2, RICH, 1));
        assertThat(q.estimatedWait()).isEqualTo(Duration.ofSeconds(15));
    }
}
