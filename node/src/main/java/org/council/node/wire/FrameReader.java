package org.council.node.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames: a 4-byte big-endian length, checked against
 * {@link FrameCodec#MAX_FRAME_BYTES} (the first frame, which must be a hello, against
 * {@link #MAX_FIRST_FRAME_BYTES}) before a single body byte is read, then the body. Not
 * thread-safe: feed it from the connection's context only.
 */
public final class FrameReader implements Handler<Buffer> {

    /** The first frame each way is a hello, a few dozen bytes: a stranger who has not said hello buffers no more. */
    public static final int MAX_FIRST_FRAME_BYTES = 4 * 1024;

    private final RecordParser parser;
    private boolean expectLength = true;
    private boolean failed;
    private boolean first = true;

    /**
     * @param onMessage   each decoded message
     * @param onViolation a description of the first framing violation; nothing is read after it
     */
    public FrameReader(Consumer<WireMessage> onMessage, Consumer<String> onViolation) {
        this(onMessage, (Violations) v -> onViolation.accept(v.getMessage()));
    }

    /**
     * A reader that reports the first violation typed; nothing is read after it.
     */
    public static FrameReader typed(Consumer<WireMessage> onMessage, Consumer<ProtocolViolationException> onViolation) {
        return new FrameReader(onMessage, (Violations) onViolation::accept);
    }

    /** Where the first violation goes (a type of its own so the two constructors do not clash). */
    private interface Violations {
        void accept(ProtocolViolationException violation);
    }

    private FrameReader(Consumer<WireMessage> onMessage, Violations onViolation) {
        this.parser = RecordParser.newFixed(4);
        parser.handler(record -> {
            if (failed) {
                return;
            }
            if (expectLength) {
                int len = record.getInt(0);
                int max = first ? MAX_FIRST_FRAME_BYTES : FrameCodec.MAX_FRAME_BYTES;
                first = false;
                if (len <= 0 || len > max) {
                    failed = true;
                    onViolation.accept(new ProtocolViolationException(ProtocolViolationException.Type.FRAME_LENGTH,
                            "frame length " + Integer.toUnsignedString(len) + " is outside 1.." + max));
                    return;
                }
                expectLength = false;
                parser.fixedSizeMode(len);
            } else {
                expectLength = true;
                parser.fixedSizeMode(4);
                try {
                    onMessage.accept(FrameCodec.decode(record.getBytes()));
                } catch (ProtocolViolationException e) {
                    failed = true;
                    onViolation.accept(e);
                }
            }
        });
    }

    @Override
    public void handle(Buffer data) {
        if (!failed) {
            parser.handle(data);
        }
    }
}
