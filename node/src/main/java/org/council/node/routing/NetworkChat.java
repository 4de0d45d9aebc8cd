package org.council.node.routing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.council.api.ChatGateway;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceBridge;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.ModelInfo;
import org.council.bridge.ModelName;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.council.bridge.Usage;
import org.council.bridge.simulated.SimulatedConfig;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.reputation.Reputation;
import org.council.ledger.reputation.WeightedDraw;
import org.council.node.council.CouncilHandle;
import org.council.node.council.CouncilResult;
import org.council.node.council.CouncilService;
import org.council.node.council.CouncilTimeouts;
import org.council.node.inference.ModelCatalog;
import org.council.node.inference.RemoteInferenceClient;
import org.council.node.peer.PeerManager;
import org.council.node.readmodel.CapabilityDirectory;

/**
 * Where the Ollama-compatible endpoint's requests go. Model {@value ChatGateway#COUNCIL_MODEL}:
 * a council of {@value #COUNCIL_SIZE} answering the conversation's last user message with the earlier
 * turns as context, whose answer is the chairman's synthesis (streamed token by token when the
 * request streams; cancelling the job cancels the council). A model a local backend serves: the local bridge, as this node's own user.
 * A model only peers announced: a connected peer that serves it, drawn at random weighted by its
 * karma here ({@link #choosePeer}) among those whose offer of the model announces every capability
 * the request needs ({@code embedding} for embeddings; {@code tools}, {@code vision},
 * {@code thinking}), through remote inference ({@link PeerJobs}: signed receipts; the peer
 * schedules it by this node's karma there). Anything else
 * goes to the bridge, which refuses it as an unknown model (or serves one pulled since the last
 * refresh).
 *
 * <p>Thread-safe; never blocks. Jobs of peers complete on the peer context, councils on the
 * council context.
 */
public final class NetworkChat implements ChatGateway {

    static final int COUNCIL_SIZE = 3;
    /** A peer's answer may be long and its queue busy; the Ollama client's own timeout usually ends it sooner. */
    static final Duration REMOTE_TIMEOUT = Duration.ofMinutes(10);

    private final InferenceBridge bridge;
    private final ModelCatalog catalog;
    private final CapabilityDirectory capabilities;
    private final PeerManager peers;
    private final Reputation karma;
    private final RemoteInferenceClient remote;
    private final CouncilService council;
    private final AtomicLong jobs = new AtomicLong();
    private final PeerJobs onPeer;
    private final Random random;
    private final ModelFinder finder;

    public NetworkChat(InferenceBridge bridge, ModelCatalog catalog, CapabilityDirectory capabilities, PeerManager peers,
                Reputation karma, RemoteInferenceClient remote, CouncilService council) {
        this(bridge, catalog, capabilities, peers, karma, remote, council, new Random());
    }

    /** As above, drawing peers with {@code random} (thread-safe, as {@link Random} is). */
    public NetworkChat(InferenceBridge bridge, ModelCatalog catalog, CapabilityDirectory capabilities, PeerManager peers,
                Reputation karma, RemoteInferenceClient remote, CouncilService council, Random random) {
        this.random = random;
        this.bridge = bridge;
        this.catalog = catalog;
        this.capabilities = capabilities;
        this.peers = peers;
        this.karma = karma;
        this.remote = remote;
        this.council = council;
        this.onPeer = new PeerJobs(remote, jobs, REMOTE_TIMEOUT);
        this.finder = new ModelFinder(peers, ModelFinder.WAIT);
    }

    /**
     * Local models, then peers' (best karma first, each name once), then those only the
     * capabilities gossip knows ("network", {@link ModelFinder}), then {@code council}.
     */
    @Override
    public Future<List<ModelInfo>> models() {
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        catalog.models().values().stream().sorted(Comparator.comparing(ModelInfo::name))
                .forEach(m -> out.put(m.name(), m));
        for (NodeId peer : peersByKarma()) {
            EventBody.CapabilitiesAnnounced caps = capabilities.of(peer);
            for (EventBody.ModelOffer offer : caps == null ? List.<EventBody.ModelOffer>of() : caps.models()) {
                out.putIfAbsent(offer.name(), peerModel(peer, caps, offer));
            }
        }
        finder.addNetworkModels(out);
        boolean simulated = out.values().stream().allMatch(ModelInfo::simulated);
        out.put(COUNCIL_MODEL, new ModelInfo(COUNCIL_MODEL, "council", "council", "", "", 0, simulated));
        return Future.succeededFuture(List.copyOf(out.values()));
    }

    /**
     * Every chat resolves its model, so a local, a connected peer's or a network-known model is found
     * without building the list (whose network part walks every announcement held); the first
     * source in {@link #models()}'s order that has it under either spelling wins. {@code council}
     * and names nobody serves go through the list.
     */
    @Override
    public Future<Optional<ModelInfo>> model(String name) {
        Map<String, ModelInfo> local = catalog.models();
        Optional<String> found = ModelName.find(name, local.keySet());
        if (found.isPresent()) {
            return Future.succeededFuture(Optional.of(local.get(found.get())));
        }
        Optional<ModelInfo> known = ModelName.matches(name, COUNCIL_MODEL) ? Optional.empty()
                : peersModel(name).or(() -> finder.networkModel(name));
        return known.isPresent() ? Future.succeededFuture(known) : models().map(list -> ChatGateway.find(list, name));
    }

    private Optional<ModelInfo> peersModel(String name) {
        for (NodeId peer : peersByKarma()) {
            EventBody.CapabilitiesAnnounced caps = capabilities.of(peer);
            for (EventBody.ModelOffer offer : caps == null ? List.<EventBody.ModelOffer>of() : caps.models()) {
                if (ModelName.matches(name, offer.name())) {
                    return Optional.of(peerModel(peer, caps, offer));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Job submit(InferenceRequest asked, TokenSink sink) {
        InferenceRequest request = asked.withRequester(RequesterId.LOCAL);
        if (request.model().equals(COUNCIL_MODEL)) {
            return councilRefuses(request).orElseGet(() -> council(request, sink));
        }
        if (servedLocally(request.model())) {
            return bridge.submit(request, sink);
        }
        List<String> needed = needed(request);
        Optional<NodeId> peer = bestPeerFor(request.model(), needed);
        if (peer.isEmpty() && !needed.isEmpty() && bestPeerFor(request.model(), List.of()).isPresent()) {
            NetworkJob job = new NetworkJob(jobs.incrementAndGet());
            job.fail(new org.council.bridge.UnsupportedFeatureException("no connected peer announces "
                    + String.join(", ", needed) + " for model '" + request.model() + "'"));
            return job;
        }
        if (peer.isEmpty()) {
            // no connected peer serves it: dial a few nodes the gossip says do, then ask one of them
            Optional<Job> found = finder.find(request.model(), jobs.incrementAndGet(),
                    () -> bestPeerFor(request.model(), needed), p -> onPeer(p, request, sink));
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (peer.isEmpty()) {
            return bridge.submit(request, sink);
        }
        return onPeer(peer.get(), request, sink);
    }

    private Job onPeer(NodeId peer, InferenceRequest request, TokenSink sink) {
        return request.kind() == InferenceRequest.Kind.EMBED ? onPeer.embed(peer, request) : onPeer.chat(peer, request, sink);
    }

    /** The capabilities (Ollama's words) a peer's model must announce to be asked {@code request}. */
    static List<String> needed(InferenceRequest request) {
        return org.council.bridge.RequestFeatures.used(request).stream().map(f -> switch (f) {
            case "tools" -> "tools";
            case "images" -> "vision";
            case "think" -> "thinking";
            case "embeddings" -> "embedding";
            default -> ""; // format: any model can be constrained to JSON
        }).filter(c -> !c.isEmpty()).toList();
    }

    /**
     * What the council cannot be asked (anything beyond plain text chat, embeddings included):
     * refused rather than answered as if it were not asked. A peer's model carries tools, format,
     * think, images, options and embedding jobs in the signed request.
     */
    private Optional<Job> councilRefuses(InferenceRequest request) {
        List<String> used = org.council.bridge.RequestFeatures.used(request);
        if (used.isEmpty()) {
            return Optional.empty();
        }
        NetworkJob job = new NetworkJob(jobs.incrementAndGet());
        job.fail(new org.council.bridge.UnsupportedFeatureException(request.kind() == InferenceRequest.Kind.EMBED
                ? "embeddings are not served by the council model, which answers chats; ask a model that announces "
                        + "embedding (model '" + request.model() + "')"
                : String.join(", ", used) + " not yet supported for the council model (model '" + request.model() + "')"));
        return Optional.of(job);
    }

    private boolean servedLocally(String model) {
        return ModelName.find(model, catalog.models().keySet()).isPresent();
    }

    private List<NodeId> peersByKarma() {
        return peers.connectedPeers().keySet().stream()
                .sorted(Comparator.comparingDouble((NodeId p) -> -karma.karma(p)).thenComparing(NodeId::hex))
                .toList();
    }

    /**
     * Among connected peers serving {@code model}, those whose offer announces every capability
     * {@code needed} (a peer that announces none predates them and is never asked for one).
     */
    private Optional<NodeId> bestPeerFor(String model, List<String> needed) {
        List<NodeId> serving = peers.connectedPeers().keySet().stream().filter(p -> {
            EventBody.CapabilitiesAnnounced caps = capabilities.of(p);
            return caps != null && caps.models().stream().anyMatch(o -> o.name().equals(model)
                    && o.capabilities().containsAll(needed));
        }).sorted().toList();
        return choosePeer(serving, karma::karma, random);
    }

    /**
     * The peer a job goes to among {@code candidates}: drawn at random weighted by karma, a share
     * of draws uniform so newcomers get some jobs ({@link WeightedDraw}); never by id, so grinding
     * a small id wins nothing. Pure but for {@code random}.
     */
    public static Optional<NodeId> choosePeer(List<NodeId> candidates, ToDoubleFunction<NodeId> karma, Random random) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        double[] weights = candidates.stream().mapToDouble(karma).toArray();
        return Optional.of(candidates.get(WeightedDraw.pick(weights, WeightedDraw.EXPLORE, random)));
    }

    private Job council(InferenceRequest request, TokenSink sink) {
        NetworkJob job = new NetworkJob(jobs.incrementAndGet());
        List<ChatMessage> conversation = conversation(request);
        int last = conversation.size() - 1;
        if (last < 0 || !conversation.get(last).role().equals("user") || conversation.get(last).content().isBlank()) {
            job.fail(new BridgeException(ErrorCode.BACKEND_ERROR,
                    "the council answers the conversation's last message, which must be a non-empty user message"));
            return job;
        }
        long started = System.nanoTime();
        // streamed: the chairman's synthesis token by token; otherwise the whole answer once at the end
        CouncilHandle council = this.council.chat(conversation.subList(0, last), conversation.get(last).content(),
                COUNCIL_SIZE, CouncilTimeouts.DEFAULTS, request.stream() ? sink : TokenSink.NONE);
        // closing the client's request cancels the members' jobs; what they served is still claimed and paid
        job.onCancel(council.cancel());
        council.result().onComplete(ar -> {
            if (ar.failed()) {
                job.fail(PeerJobs.bridgeFailure("council", ar.cause()));
                return;
            }
            CouncilResult r = ar.result();
            if (r.answer() == null) {
                job.fail(new BridgeException(ErrorCode.BACKEND_ERROR, "the council produced no synthesized answer ("
                        + r.stagesCompleted() + "/3 stages completed): " + r.failures()));
                return;
            }
            if (!request.stream()) {
                sink.onToken(r.answer());
            }
            long took = System.nanoTime() - started;
            job.complete(new InferenceResult(COUNCIL_MODEL, "council", r.answer(), "stop",
                    new Usage(r.synthesis().promptTokens(), r.synthesis().completionTokens(), took, 0, 0, took)));
        });
        return job;
    }

    /** A chat's messages, or a generate request's prompt as a one-message conversation. */
    static List<ChatMessage> conversation(InferenceRequest request) {
        if (request.kind() == InferenceRequest.Kind.GENERATE) {
            return List.of(ChatMessage.user(request.prompt()));
        }
        return request.messages();
    }

    private static ModelInfo peerModel(NodeId peer, EventBody.CapabilitiesAnnounced caps, EventBody.ModelOffer offer) {
        boolean simulated = offer.name().startsWith(SimulatedConfig.PREFIX) || "simulated".equals(caps.gpu());
        // what the peer's backend reports for the model; a peer that predates capabilities says nothing
        return new ModelInfo(offer.name(), "peer " + peer.shortHex(), simulated ? "simulated" : "",
                ModelInfo.parameterLabel(offer.parametersMillions()), offer.quantization(), 0, simulated,
                offer.capabilities().isEmpty() ? ModelInfo.TEXT_ONLY : offer.capabilities());
    }
}
