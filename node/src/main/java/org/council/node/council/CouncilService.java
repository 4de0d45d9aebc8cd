package org.council.node.council;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.council.api.NoCouncilException;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceBridge;
import org.council.bridge.InferenceRequest;
import org.council.bridge.Job;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.store.LedgerStore;
import org.council.node.inference.ModelCatalog;
import org.council.node.readmodel.CapabilityDirectory;
import org.council.node.inference.RemoteCall;
import org.council.node.inference.RemoteInferenceClient;
import org.council.node.peer.PeerManager;

/**
 * Council queries from this node: members are picked among connected peers (by the models they
 * announced and their karma here) and the local backend; stages run through the local bridge or
 * remote inference (which produces the receipts); the ranking outcome is appended as a rating
 * event.
 *
 * <p>Threading: council work runs on the council context given by the composition root (its own,
 * not the peer manager's event loop). {@link #ask} and {@link #chat} may be called from any
 * thread; they hop onto that context, each run is confined to it, and the returned futures
 * complete there. {@link #start(Member, String, List, Duration, TokenSink)} is called by the runs
 * on that context and asserts it.
 */
public final class CouncilService implements MemberClient {

    private static final System.Logger LOG = System.getLogger(CouncilService.class.getName());

    private final NodeId self;
    private final LedgerStore store;
    private final InferenceBridge bridge;
    private final ModelCatalog catalog;
    private final RemoteInferenceClient remote;
    private final CapabilityDirectory capabilities;
    private final Reputation reputation;
    private final PeerManager peers;
    private final ContextInternal context;
    private final Random random = new Random();
    private final MemberSelector selector = new MemberSelector();
    private final CouncilOrchestrator orchestrator;
    private final CouncilHistory history = new CouncilHistory();

    public CouncilService(NodeId self, LedgerStore store, InferenceBridge bridge, ModelCatalog catalog,
                   RemoteInferenceClient remote, CapabilityDirectory capabilities, Reputation reputation,
                   PeerManager peers, Context context) {
        this.self = self;
        this.store = store;
        this.bridge = bridge;
        this.catalog = catalog;
        this.remote = remote;
        this.capabilities = capabilities;
        this.reputation = reputation;
        this.peers = peers;
        this.context = (ContextInternal) context;
        this.orchestrator = new CouncilOrchestrator(this, random);
    }

    /** The nodes that could sit on a council now: this node and every connected peer that announced models. */
    public List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        List<String> local = List.copyOf(catalog.models().keySet());
        if (!local.isEmpty()) {
            out.add(new Candidate(self, local, 0, true));
        }
        for (NodeId peer : peers.connectedPeers().keySet()) {
            EventBody.CapabilitiesAnnounced caps = capabilities.of(peer);
            if (caps != null && !caps.models().isEmpty()) {
                out.add(new Candidate(peer, caps.models().stream().map(EventBody.ModelOffer::name).toList(),
                        reputation.karma(peer), false));
            }
        }
        return out;
    }

    /** Runs a council of up to {@code size} members on {@code question}, any models, chairman chosen. */
    public Future<CouncilResult> ask(String question, int size, CouncilTimeouts timeouts, CouncilListener listener) {
        return ask(question, size, Set.of(), timeouts, null, listener);
    }

    /**
     * Runs a council whose members serve one of {@code models} (empty: any), with a preferred
     * chairman (a member, or any node serving {@code chairman.model()}; null: the orchestrator
     * chooses among the members that answered).
     */
    public Future<CouncilResult> ask(String question, int size, Set<String> models, CouncilTimeouts timeouts,
                                     Member chairman, CouncilListener listener) {
        return begin(List.of(), question, size, models, timeouts, chairman, listener, TokenSink.NONE).result();
    }

    /**
     * Runs a council on a conversation: {@code history} (earlier turns, oldest first) goes to every
     * stage before its prompt, {@code question} is the last user turn; any models, chairman chosen.
     * The chairman's synthesis streams into {@code answerSink} on the council context. Cancelling
     * the handle (from any thread) cancels the members' running jobs and starts no further stage;
     * an unfinished council is not rated.
     */
    public CouncilHandle chat(List<ChatMessage> history, String question, int size, CouncilTimeouts timeouts,
                              TokenSink answerSink) {
        return begin(history, question, size, Set.of(), timeouts, null, CouncilListener.NONE, answerSink);
    }

    private CouncilHandle begin(List<ChatMessage> conversation, String question, int size, Set<String> models,
                                CouncilTimeouts timeouts, Member chairman, CouncilListener listener,
                                TokenSink answerSink) {
        Promise<CouncilResult> result = Promise.promise();
        long startedMs = System.currentTimeMillis();
        // Accessed by context thread: set once the run exists, so a cancel that overtakes it still lands
        CouncilHandle[] running = new CouncilHandle[1];
        boolean[] cancelled = new boolean[1];
        context.runOnContext(v -> {
            assert context.inThread() : "a council starts on the council context";
            if (cancelled[0]) {
                result.fail(new CancellationException("council cancelled before it started"));
                return;
            }
            List<Member> members = selector.select(candidates(), models, size, random);
            if (members.isEmpty()) {
                result.fail(new NoCouncilException("no council member available: no local model and no peer "
                        + "that announced one"));
                return;
            }
            CouncilQuery query = CouncilQuery.of(question, members).withHistory(conversation).withTimeouts(timeouts)
                    .withChairman(chairman);
            running[0] = orchestrator.start(query, listener, answerSink);
            running[0].result()
                    .onSuccess(this::recordRating)
                    .onSuccess(r -> history.record(r, startedMs, System.currentTimeMillis()))
                    .onComplete(result);
        });
        return new CouncilHandle(result.future(), () -> context.runOnContext(v -> {
            cancelled[0] = true;
            if (running[0] != null) {
                running[0].cancel().run();
            }
        }));
    }

    /** The council queries run from this node, newest first, without prompts or answers. */
    public List<org.council.api.CouncilRecord> history(int limit) {
        return history.newest(limit);
    }

    private void recordRating(CouncilResult r) {
        // reviewers count by this node's karma for them (its own: the root's), so Sybil reviewers have
        // no say; brought up to date first (off the loop): whatever has settled counts, this council's
        // receipts only where the members' halves have replicated in already
        context.<List<EventBody.RatedMember>>executeBlocking(() -> r.ratedMembers(reputation.refreshed()::karma), false)
                .onSuccess(rated -> {
                    if (!rated.isEmpty()) {
                        store.append(new EventBody.Rating(r.councilId(), rated)).exceptionally(e -> {
                            LOG.log(System.Logger.Level.WARNING, "could not record the council's rating: "
                                    + e.getMessage());
                            return null;
                        });
                    }
                })
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "could not rate the council: " + e.getMessage()));
    }

    @Override
    public Future<MemberReply> complete(Member member, String stage, List<ChatMessage> messages, Duration timeout) {
        return start(member, stage, messages, timeout, TokenSink.NONE).reply();
    }

    @Override
    public MemberCall start(Member member, String stage, List<ChatMessage> messages, Duration timeout, TokenSink sink) {
        assert context.inThread() : "CouncilService.start called off the council context";
        if (!member.node().equals(self)) {
            // a cancelled remote job is still paid for what the peer served: its claim is checked as usual
            RemoteCall call = remote.start(member.node(), member.model(), messages, 0, stage, timeout, sink);
            return new MemberCall(call.reply()
                    .map(r -> new MemberReply(r.text(), (int) r.promptTokens(), (int) r.completionTokens())),
                    call.cancel());
        }
        // this node's own backend: its own user, served first, no receipt (nobody pays themselves)
        Job job = bridge.submit(InferenceRequest.chat(RequesterId.LOCAL, member.model(), messages), sink);
        long timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), id -> job.cancel());
        Promise<MemberReply> reply = Promise.promise();
        job.result().onComplete(ar -> context.runOnContext(v -> {
            context.owner().cancelTimer(timer);
            if (ar.succeeded()) {
                reply.complete(new MemberReply(ar.result().text(), (int) ar.result().usage().promptTokens(),
                        (int) ar.result().usage().completionTokens()));
            } else {
                reply.fail(ar.cause());
            }
        }));
        return new MemberCall(reply.future(), job::cancel);
    }
}
