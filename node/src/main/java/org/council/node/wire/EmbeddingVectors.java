package org.council.node.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedding job's vectors as {@code InferenceDone} carries them: IEEE float32, little-endian,
 * input after input, {@code dimensions} floats each. Float32 is what model servers compute
 * embeddings in (Ollama's and OpenAI's JSON numbers are float32 values), so nothing is lost that a
 * local client would have had, and the bytes are half of float64's. The whole fits one frame with
 * the receipt beside it ({@link #MAX_BYTES}); the receipt's response hash is the SHA-256 of these
 * exact bytes. Stateless.
 */
public final class EmbeddingVectors {

    /**
     * Most bytes of vectors one job returns: one frame less 64 KiB for the signed proposal and the
     * rest of the message (240 × 1,024 floats: 240 inputs of a 1,024-dimension model, 60 of 4,096).
     */
    public static final int MAX_BYTES = FrameCodec.MAX_FRAME_BYTES - 64 * 1024;
    /** Most floats per vector accepted (the largest embedding models have 4,096 to 8,192). */
    public static final int MAX_DIMENSIONS = 16_384;

    /** Encoded vectors and their dimension. */
    public record Packed(byte[] bytes, int dimensions) {
    }

    private EmbeddingVectors() {
    }

    /**
     * Packs {@code vectors}, which must all have one dimension.
     *
     * @throws IllegalArgumentException when there are none, they differ in dimension, a dimension is
     *     0 or above {@link #MAX_DIMENSIONS}, or they exceed {@link #MAX_BYTES} together
     */
    public static Packed encode(List<double[]> vectors) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("the backend returned no vectors");
        }
        int dims = vectors.get(0).length;
        if (dims == 0 || dims > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("vectors of " + dims + " dimensions (at most " + MAX_DIMENSIONS + ")");
        }
        long bytes = (long) vectors.size() * dims * Float.BYTES;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(vectors.size() + " vectors of " + dims + " dimensions are more than one "
                    + "frame to a peer holds (" + MAX_BYTES / Float.BYTES + " floats); ask for fewer inputs at a time");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] v : vectors) {
            if (v.length != dims) {
                throw new IllegalArgumentException("vectors of different dimensions (" + dims + " and " + v.length + ")");
            }
            for (double d : v) {
                out.putFloat((float) d);
            }
        }
        return new Packed(out.array(), dims);
    }

    /**
     * Unpacks {@code count} vectors of {@code dimensions} floats.
     *
     * @throws IllegalArgumentException when the bytes are not exactly that many vectors within the bounds
     */
    public static List<double[]> decode(byte[] bytes, int dimensions, int count) {
        if (dimensions <= 0 || dimensions > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("vectors of " + Integer.toUnsignedString(dimensions)
                    + " dimensions (at most " + MAX_DIMENSIONS + ")");
        }
        if (bytes.length > MAX_BYTES || bytes.length != (long) count * dimensions * Float.BYTES) {
            throw new IllegalArgumentException(bytes.length + " bytes of vectors are not " + count + " inputs of "
                    + dimensions + " float32");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<double[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] v = new double[dimensions];
            for (int j = 0; j < dimensions; j++) {
                v[j] = in.getFloat();
            }
            out.add(v);
        }
        return out;
    }
}
