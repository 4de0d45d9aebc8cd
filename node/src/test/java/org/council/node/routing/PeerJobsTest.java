package org.council.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.council.node.wire.EmbeddingVectors;
import org.junit.jupiter.api.Test;

class PeerJobsTest {

    @Test
    void everyEmbeddingJobsVectorsFitOneFrameWhateverTheDimension() {
        for (int dims : new int[] {1, 384, 768, 1_024, 3_072, 4_096, 8_192, EmbeddingVectors.MAX_DIMENSIONS}) {
            int batch = PeerJobs.embedBatch(dims);
            assertThat(batch).as("%d dimensions", dims).isBetween(1, PeerJobs.MAX_EMBED_BATCH);
            assertThat((long) batch * dims * Float.BYTES).as("%d dimensions", dims)
                    .isLessThanOrEqualTo(EmbeddingVectors.MAX_BYTES);
        }
        // a 4,096-dimension model (64 inputs would be 1 MiB, more than a frame) gets 60 per job
        assertThat(PeerJobs.embedBatch(4_096)).isEqualTo(60);
        assertThat(PeerJobs.embedBatch(384)).isEqualTo(PeerJobs.MAX_EMBED_BATCH);
        // before the dimension is known, the first job fits the largest dimension accepted
        assertThat((long) PeerJobs.FIRST_EMBED_BATCH * EmbeddingVectors.MAX_DIMENSIONS * Float.BYTES)
                .isLessThanOrEqualTo(EmbeddingVectors.MAX_BYTES);
        assertThat(PeerJobs.FIRST_EMBED_BATCH).isEqualTo(15);
    }
}
