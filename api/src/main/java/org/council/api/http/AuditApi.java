package org.council.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.council.api.NodeInfo;
import org.council.crypto.NodeId;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventId;
import org.council.ledger.event.FeedHead;
import org.council.ledger.reputation.Ranked;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.store.Account;
import org.council.ledger.store.EquivocationProof;
import org.council.ledger.store.LedgerStore;

/**
 * The read-only audit API ({@code docs/design.md}, "The API"): a Vert.x Web {@link Router} serving
 * {@code GET} routes under {@value #BASE}. Every ledger read runs on a Vert.x worker thread, never
 * on the event loop; every failure is answered through {@link ErrorCode} as
 * {@code {"error":{"code","message"}}}. Events and event pages are written straight to bytes
 * ({@link EventWriter}) and gzipped when the client's {@code Accept-Encoding} allows ({@link Gzip}).
 *
 * <p><b>Thread-safety.</b> Immutable after construction; {@link #router(Vertx)} may be called from
 * any thread and the router it returns may serve any number of HTTP servers. The store,
 * reputation and node ports must be thread-safe (their contracts say so).
 */
public final class AuditApi {

    /** The path prefix of every route. */
    public static final String BASE = "/api/v1";
    /** Events per page when {@code limit} is absent, and the most a page may ask for. */
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 1000;
    /** The classpath resource holding the OpenAPI 3.0 document served at {@code BASE/openapi.yaml}. */
    public static final String OPENAPI_RESOURCE = "/openapi.yaml";
    static final String YAML_TYPE = "application/yaml";
    private static final byte[] EVENTS_OPEN = JsonSink.ascii("{\"events\":[");

    private final LedgerStore store;
    private final Reputation reputation;
    private final NodeInfo node;
    private final byte[] openApi;

    public AuditApi(LedgerStore store, Reputation reputation, NodeInfo node) {
        this.store = Objects.requireNonNull(store, "store");
        this.reputation = Objects.requireNonNull(reputation, "reputation");
        this.node = Objects.requireNonNull(node, "node");
        this.openApi = readOpenApi();
    }

    /**
     * A new router serving only the audit API and its OpenAPI document at {@value #BASE}, with JSON
     * errors for unmatched routes. {@link NodeApi} mounts the same routes beside the node's others.
     */
    public Router router(Vertx vertx) {
        Router r = Router.router(vertx);
        mount(r);
        ErrorResponder.install(r);
        return r;
    }

    /** Adds the audit routes to {@code r}. */
    void mount(Router r) {
        r.get(BASE + "/feeds").handler(ctx -> Responses.json(ctx, this::feeds));
        r.get(BASE + "/feeds/:author/events").handler(ctx -> {
            NodeId author = Params.nodeId(ctx, "author");
            long from = Params.longQuery(ctx, "from", 1, 1, Long.MAX_VALUE);
            int limit = (int) Params.longQuery(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
            Responses.written(ctx, () -> feedEvents(author, from, limit));
        });
        r.get(BASE + "/events/:id").handler(ctx -> {
            EventId id = Params.eventId(ctx, "id");
            Responses.written(ctx, () -> event(id));
        });
        r.get(BASE + "/accounts/:id").handler(ctx -> {
            NodeId id = Params.nodeId(ctx, "id");
            Responses.json(ctx, () -> account(id));
        });
        r.get(BASE + "/reputation").handler(ctx -> Responses.json(ctx, this::ranking));
        r.get(BASE + "/equivocations").handler(ctx -> Responses.json(ctx, this::equivocations));
        r.get(BASE + "/node").handler(ctx -> Responses.json(ctx, this::nodeInfo));
        r.get(BASE + "/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader("content-type", YAML_TYPE)
                .end(Buffer.buffer(openApi)));
    }

    // Read once: the document is part of the build, so a missing one is a packaging bug.
    private static byte[] readOpenApi() {
        try (InputStream in = AuditApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
        }
    }

    private JsonNode feeds() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode feeds = o.putArray("feeds");
        for (FeedHead h : store.heads()) {
            feeds.addObject()
                    .put("author", h.author().hex())
                    .put("head_seq", h.seq())
                    .put("head_id", h.id().hex());
        }
        return o;
    }

    // Written straight from the stored envelopes (RawEventWriter, EventWriter for rare kinds):
    // pages are most of what auditors read, and an event's JSON is mostly its own bytes. Each
    // event's id is the next one's prev (one iterator: one snapshot of a hash-chained feed), so
    // only a page's last event is hashed.
    private JsonSink feedEvents(NodeId author, long from, int limit) {
        if (store.head(author).isEmpty()) {
            throw ApiException.notFound("no feed for author " + author.hex());
        }
        List<byte[]> envelopes = store.feedEnvelopes(author, from, limit, Integer.MAX_VALUE);
        int n = envelopes.size();
        RawEventWriter raw = new RawEventWriter();
        // ids[32 * i, 32 * i + 32) is event i's id when known from event i + 1
        byte[] ids = new byte[32 * n];
        boolean[] known = new boolean[n];
        long nextSeq = -1;
        for (int i = n - 1; i >= 0; i--) {
            byte[] env = envelopes.get(i);
            boolean readable = raw.header(env);
            if (readable && i + 1 < n && nextSeq == raw.seq() + 1) {
                known[i] = true;
            }
            nextSeq = -1;
            if (readable && raw.prevStart() >= 0 && i > 0) {
                System.arraycopy(env, raw.prevStart(), ids, 32 * (i - 1), 32);
                nextSeq = raw.seq();
            }
        }
        JsonSink out = new JsonSink(16 + n * EventWriter.EVENT_SIZE_HINT).raw(EVENTS_OPEN);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.raw(',');
            }
            byte[] env = envelopes.get(i);
            if (!known[i]) {
                EventId.ofEnvelope(env).copyTo(ids, 32 * i);
            }
            if (!raw.write(out, env, ids, 32 * i)) {
                EventWriter.write(out, EventCodec.decodeTrusted(env));
            }
        }
        return out.raw(']').raw('}');
    }

    private JsonSink event(EventId id) {
        byte[] env = store.envelope(id).orElseThrow(() -> ApiException.notFound("no event with id " + id.hex()));
        JsonSink out = new JsonSink(EventWriter.EVENT_SIZE_HINT);
        byte[] idBytes = new byte[EventId.LENGTH];
        id.copyTo(idBytes, 0);
        if (!new RawEventWriter().write(out, env, idBytes, 0)) {
            EventWriter.write(out, EventCodec.decodeTrusted(env));
        }
        return out;
    }

    // The store answers zeros for any id; an id with no feed and no activity is reported unknown.
    private JsonNode account(NodeId id) {
        Account a = store.account(id);
        boolean idle = a.earnedMilli() == 0 && a.spentMilli() == 0 && a.pendingEarnedMilli() == 0
                && a.servedJobs() == 0 && a.requestedJobs() == 0 && !a.equivocator();
        if (idle && store.head(id).isEmpty()) {
            throw ApiException.notFound("no account for " + id.hex());
        }
        return accountJson(a, store, reputation);
    }

    /** The documented Account object: the store's totals with this node's karma for the id. */
    static ObjectNode accountJson(Account a, LedgerStore store, Reputation reputation) {
        return EventJson.JSON.objectNode()
                .put("id", a.id().hex())
                .put("balance_milli", a.balanceMilli())
                .put("earned_milli", a.earnedMilli())
                .put("spent_milli", a.spentMilli())
                .put("pending_earned_milli", a.pendingEarnedMilli())
                .put("served_jobs", a.servedJobs())
                .put("requested_jobs", a.requestedJobs())
                .put("karma", reputation.karma(a.id()))
                .put("equivocator", a.equivocator() || store.isEquivocator(a.id()));
    }

    private JsonNode ranking() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode ranking = o.putArray("ranking");
        int rank = 1;
        for (Ranked r : reputation.ranking()) {
            ranking.addObject()
                    .put("rank", rank++)
                    .put("id", r.id().hex())
                    .put("karma", r.karma())
                    .put("trust", r.trust())
                    .put("balance_milli", r.balanceMilli())
                    .put("equivocator", r.equivocator());
        }
        return o;
    }

    private JsonNode equivocations() {
        ObjectNode o = EventJson.JSON.objectNode();
        ArrayNode proofs = o.putArray("equivocations");
        for (EquivocationProof p : store.equivocations()) {
            proofs.addObject()
                    .put("accused", p.accused().hex())
                    .put("seq", p.seq())
                    .put("first_id", p.first().id().hex())
                    .put("first", EventJson.base64(p.first().envelopeUnsafe()))
                    .put("second_id", p.second().id().hex())
                    .put("second", EventJson.base64(p.second().envelopeUnsafe()));
        }
        return o;
    }

    private JsonNode nodeInfo() {
        ObjectNode o = EventJson.JSON.objectNode()
                .put("id", node.id().hex())
                .put("version", node.version())
                .put("peers", node.peerCount())
                .put("ollama", node.ollamaUrl());
        org.council.api.NetworkState n = node.network();
        if (n != null) {
            o.putObject("network").put("reachability", n.reachability()).put("observed_host", n.observedHost())
                    .put("relays_held", n.relaysHeld()).put("reservations_served", n.reservationsServed())
                    .put("circuits", n.circuits()).put("bytes_relayed", n.bytesRelayed());
        }
        return o;
    }
}
