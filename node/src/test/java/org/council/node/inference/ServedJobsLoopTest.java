package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceBridge;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.bridge.ModelInfo;
import org.council.bridge.QueueState;
import org.council.bridge.TokenSink;
import org.council.crypto.NodeKeyPair;
import org.council.node.wire.InferenceErrorCode;
import org.council.node.wire.RemoteRequest;
import org.council.node.wire.WireMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A served chat runs its backend call on an event loop other than the peer loop, its tokens are
 * still sent from the peer loop, and a cancel that arrives before the bridge took the job stops
 * the job once it has it.
 */
class ServedJobsLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Vertx vertx;

    private final NodeKeyPair server = NodeKeyPair.generate();
    private final NodeKeyPair requester = NodeKeyPair.generate();
    private final FakeBridge bridge = new FakeBridge();
    private final RecordingLink link = new RecordingLink(requester.id());

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theJobsContextIsAnotherEventLoopWhenThereIsOne() {
        Context peer = vertx.getOrCreateContext();
        Context jobs = InferenceService.otherLoop(peer);
        assertThat(((ContextInternal) jobs).nettyEventLoop()).isNotSameAs(((ContextInternal) peer).nettyEventLoop());

        Vertx single = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Context only = single.getOrCreateContext();
            assertThat(InferenceService.otherLoop(only)).isSameAs(only);
        } finally {
            single.close();
        }
    }

    @Test
    void aServedChatReadsItsBackendOffThePeerLoopAndSendsFromIt() throws Exception {
        Context peer = vertx.getOrCreateContext();
        Thread peerThread = onContext(peer, Thread::currentThread);
        RemoteInferenceServer s = server(peer);
        RemoteRequest r = request();

        peer.runOnContext(v -> s.onRequest(link, r.toWire()));
        FakeJob job = bridge.jobs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(job).as("submitted").isNotNull();
        assertThat(job.submittedOn).as("the thread that submitted it").isNotSameAs(peerThread);

        job.context.runOnContext(v -> job.sink.onToken("hello")); // as the backend hands tokens over
        WireMessage sent = firstSent();
        assertThat(sent).isInstanceOf(WireMessage.InferenceTokens.class);
        assertThat(((WireMessage.InferenceTokens) sent).text()).isEqualTo("hello");
        assertThat(link.sentOn).containsOnly(peerThread);
        peer.runOnContext(v -> s.onCancel(link, r.jobId().bytes()));
        assertThat(job.cancelled.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCancelBeforeTheBridgeTookTheJobStopsItOnceItHasIt() throws Exception {
        Context peer = vertx.getOrCreateContext();
        RemoteInferenceServer s = server(peer);
        RemoteRequest r = request();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        jobsOf(peer).runOnContext(v -> { // keep the jobs loop busy: the submission waits behind this
            holding.countDown();
            await(held);
        });
        assertThat(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        peer.runOnContext(v -> {
            s.onRequest(link, r.toWire());
            s.onCancel(link, r.jobId().bytes()); // the requester gave up at once
        });
        onContext(peer, () -> null); // both ran
        assertThat(bridge.jobs).as("nothing submitted yet").isEmpty();
        held.countDown();

        FakeJob job = bridge.jobs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(job).isNotNull();
        assertThat(job.cancelled.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("cancelled once submitted").isTrue();
        WireMessage sent = firstSent();
        assertThat(sent).isInstanceOf(WireMessage.InferenceError.class);
        assertThat(((WireMessage.InferenceError) sent).errorCode()).isEqualTo(InferenceErrorCode.CANCELLED);
    }

    /** The first message sent on the link, once there is one (null after {@link #WAIT}). */
    private WireMessage firstSent() throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (link.sent.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return link.sent.isEmpty() ? null : link.sent.get(0);
    }

    private RemoteInferenceServer server(Context peer) {
        return new RemoteInferenceServer(server.id(), null, bridge, new ModelCatalog(), peer, jobsOf(peer),
                System::currentTimeMillis, Duration.ofSeconds(60));
    }

    private Context jobsContext;

    private Context jobsOf(Context peer) {
        if (jobsContext == null) {
            jobsContext = InferenceService.otherLoop(peer);
        }
        return jobsContext;
    }

    private RemoteRequest request() {
        return RemoteRequest.sign(requester, server.id(), org.council.ledger.event.JobId.random(),
                System.currentTimeMillis(), "m", List.of(ChatMessage.user("hi")), 16, "answer");
    }

    private static <T> T onContext(Context c, java.util.function.Supplier<T> s) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        c.runOnContext(v -> f.complete(s.get()));
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bridge that hands out jobs which run until cancelled. */
    private static final class FakeBridge implements InferenceBridge {
        final BlockingQueue<FakeJob> jobs = new LinkedBlockingQueue<>();

        @Override
        public Job submit(InferenceRequest request, TokenSink sink) {
            FakeJob j = new FakeJob(sink, Vertx.currentContext(), Thread.currentThread());
            jobs.add(j);
            return j;
        }

        @Override
        public Optional<Job> job(JobId id) {
            return Optional.empty();
        }

        @Override
        public Future<List<ModelInfo>> models() {
            return Future.succeededFuture(List.of());
        }

        @Override
        public QueueState queueState() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    private static final class FakeJob implements Job {
        final TokenSink sink;
        final Context context;
        final Thread submittedOn;
        final Promise<InferenceResult> result = Promise.promise();
        final CompletableFuture<Boolean> cancelled = new CompletableFuture<>();

        FakeJob(TokenSink sink, Context context, Thread submittedOn) {
            this.sink = sink;
            this.context = context;
            this.submittedOn = submittedOn;
        }

        @Override
        public JobId id() {
            return new JobId(1);
        }

        @Override
        public Future<InferenceResult> result() {
            return result.future();
        }

        @Override
        public boolean cancel() {
            cancelled.complete(true);
            return result.tryFail(BridgeException.cancelled());
        }
    }
}
