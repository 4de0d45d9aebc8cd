package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.council.bridge.InferenceResult;
import org.council.bridge.Job;
import org.council.bridge.JobId;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.Test;

class BackendContextsTest {

    @Test
    void servedJobsAreSubmittedFromEveryEventLoopButThePeerContexts() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        try {
            ContextInternal peer = ((VertxInternal) vertx).createEventLoopContext();
            BackendContexts contexts = new BackendContexts(peer);
            Set<Object> loops = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                ContextInternal c = contexts.next();
                assertThat(c.nettyEventLoop()).isNotSameAs(peer.nettyEventLoop());
                assertThat(c.isEventLoopContext()).isTrue();
                loops.add(c.nettyEventLoop());
            }
            assertThat(loops).hasSize(2); // both other loops share the load
        } finally {
            vertx.close();
        }
    }

    @Test
    void withOneEventLoopThePeerContextItselfIsUsed() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            ContextInternal peer = ((VertxInternal) vertx).createEventLoopContext();
            assertThat(new BackendContexts(peer).next()).isSameAs(peer);
        } finally {
            vertx.close();
        }
    }

    @Test
    void aCancelAskedBeforeTheJobWasHandedBackAppliesWhenItArrives() {
        RemoteInferenceServer.Running run = new RemoteInferenceServer.Running(NodeKeyPair.generate().id());
        CountingJob job = new CountingJob();
        run.cancel(); // the requester cancelled while the backend context was still submitting
        assertThat(job.cancels).hasValue(0);
        run.submitted(job);
        assertThat(job.cancels).hasValue(1);
        run.cancel();
        assertThat(job.cancels).hasValue(2);
    }

    @Test
    void aJobHandedBackWithoutACancelRunsOn() {
        RemoteInferenceServer.Running run = new RemoteInferenceServer.Running(NodeKeyPair.generate().id());
        CountingJob job = new CountingJob();
        run.submitted(job);
        assertThat(job.cancels).hasValue(0);
    }

    private static final class CountingJob implements Job {
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public JobId id() {
            return new JobId(1);
        }

        @Override
        public Future<InferenceResult> result() {
            return Future.succeededFuture();
        }

        @Override
        public boolean cancel() {
            cancels.incrementAndGet();
            return true;
        }
    }
}
