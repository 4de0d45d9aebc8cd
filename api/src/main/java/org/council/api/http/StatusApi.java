package org.council.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import org.council.api.CouncilRecord;
import org.council.api.NodeInfo;
import org.council.bridge.QueueState;
import org.council.crypto.NodeId;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.store.LedgerAudit;
import org.council.ledger.store.LedgerStore;

/**
 * The node's public read endpoints beside the audit API: every account, peers, the scheduler
 * queue, announced capabilities, the council history (without prompts or answers) and a
 * verification report of the whole ledger. Thread-safe; ports as in {@link AuditApi}.
 */
final class StatusApi {

    static final int MAX_COUNCILS = 200;

    private final LedgerStore store;
    private final Reputation reputation;
    private final NodeInfo node;
    private Future<byte[]> verifying;

    StatusApi(LedgerStore store, Reputation reputation, NodeInfo node) {
        this.store = Objects.requireNonNull(store, "store");
        this.reputation = Objects.requireNonNull(reputation, "reputation");
        this.node = Objects.requireNonNull(node, "node");
    }

    void mount(Router r) {
        r.get(AuditApi.BASE + "/accounts").handler(ctx -> Responses.json(ctx, this::accounts));
        r.get(AuditApi.BASE + "/peers").handler(ctx -> Responses.now(ctx, 200, peers()));
        r.get(AuditApi.BASE + "/queue").handler(ctx -> Responses.now(ctx, 200, queue()));
        r.get(AuditApi.BASE + "/capabilities").handler(ctx -> Responses.now(ctx, 200, capabilities()));
        r.get(AuditApi.BASE + "/councils").handler(ctx -> {
            int limit = (int) Params.longQuery(ctx, "limit", 50, 1, MAX_COUNCILS);
            Responses.now(ctx, 200, councils(limit));
        });
        r.get(AuditApi.BASE + "/verification").handler(ctx -> Responses.send(ctx, verificationRun(ctx.vertx())));
    }

    private JsonNode accounts() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode list = o.putArray("accounts");
        store.accounts().stream().sorted(Comparator.comparing(a -> a.id().hex())).forEach(a -> list.add(AuditApi.accountJson(a, store, reputation)));
        return o;
    }

    private JsonNode peers() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode list = o.putArray("peers");
        node.peers().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(NodeId::hex)))
                .forEach(e -> list.addObject()
                        .put("id", e.getKey().hex())
                        .put("address", e.getValue())
                        .put("karma", reputation.karma(e.getKey())));
        return o;
    }

    private JsonNode queue() {
        QueueState q = node.queue();
        ObjectNode o = EventJson.JSON.objectNode();
        if (q == null) {
            return o.put("waiting", 0).put("running", 0).put("max_waiting", 0).put("max_waiting_per_requester", 0)
                    .put("estimated_wait_ms", 0).<ObjectNode>set("requesters", EventJson.JSON.arrayNode())
                    .set("backends", EventJson.JSON.arrayNode());
        }
        o.put("waiting", q.waiting())
                .put("running", q.running())
                .put("max_waiting", q.maxWaiting())
                .put("max_waiting_per_requester", q.maxWaitingPerRequester())
                .put("estimated_wait_ms", q.estimatedWait().toMillis());
        ArrayNode requesters = o.putArray("requesters");
        q.waitingPerRequester().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(x -> x.value())))
                .forEach(e -> requesters.addObject().put("requester", e.getKey().value()).put("waiting", e.getValue()));
        ArrayNode backends = o.putArray("backends");
        for (QueueState.BackendState b : q.backends()) {
            ObjectNode bo = backends.addObject()
                    .put("name", b.name())
                    .put("running", b.running())
                    .put("max_concurrency", b.maxConcurrency());
            b.models().forEach(bo.putArray("models")::add);
        }
        return o;
    }

    private JsonNode capabilities() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode list = o.putArray("capabilities");
        node.capabilities().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(NodeId::hex)))
                .forEach(e -> list.add(CapabilitiesJson.entry(e.getKey(), e.getValue())));
        return o;
    }

    private JsonNode councils(int limit) {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode list = o.putArray("councils");
        for (CouncilRecord c : node.councilHistory(limit)) {
            ObjectNode co = list.addObject()
                    .put("council_id", c.councilId())
                    .put("started_ms", c.startedMs())
                    .put("duration_ms", c.durationMs())
                    .put("stages_completed", c.stagesCompleted())
                    .put("chairman", c.chairman())
                    .put("failures", c.failures());
            ArrayNode members = co.putArray("members");
            c.members().forEach(m -> members.addObject().put("node", m.node()).put("model", m.model())
                    .put("mean_rank", m.meanRank()));
        }
        return o;
    }

    // A full audit reads the whole ledger (seconds at 1M events) on a public route: requests that
    // arrive while one runs share its report instead of each starting another.
    private synchronized Future<byte[]> verificationRun(Vertx vertx) {
        if (verifying == null) {
            verifying = vertx.executeBlocking(() -> Responses.MAPPER.writeValueAsBytes(verification()), false)
                    .andThen(ar -> clearVerification());
        }
        return verifying;
    }

    private synchronized void clearVerification() {
        verifying = null;
    }

    // Re-verifies every chain end to end on a worker: signatures, links, sequence numbers.
    private JsonNode verification() {
        long started = System.nanoTime();
        LedgerAudit.Report report = new LedgerAudit(store).verifyAll();
        ObjectNode o = EventJson.JSON.objectNode()
                .put("ok", report.ok())
                .put("feeds", report.feeds())
                .put("events", report.events())
                .put("duration_ms", (System.nanoTime() - started) / 1_000_000);
        report.problems().forEach(o.putArray("problems")::add);
        return o;
    }
}
