package org.council.node.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames: a 4-byte big-endian length, checked against
 * {@link FrameCodec#MAX_FRAME_BYTES} before a single body byte is read, then the body. Not
 * thread-safe: feed it from the connection's context only.
 */
public final class FrameReader implements Handler<Buffer> {

    private final RecordParser parser;
    private boolean expectLength = true;
    private boolean failed;

    /**
     * @param onMessage   each decoded message
     * @param onViolation a description of the first framing violation; nothing is read after it
     */
    public FrameReader(Consumer<WireMessage> onMessage, Consumer<String> onViolation) {
        this.parser = RecordParser.newFixed(4);
        parser.handler(record -> {
            if (failed) {
                return;
            }
            if (expectLength) {
                int len = record.getInt(0);
                if (len <= 0 || len > FrameCodec.MAX_FRAME_BYTES) {
                    failed = true;
                    onViolation.accept("frame length " + Integer.toUnsignedString(len) + " is outside 1.."
                            + FrameCodec.MAX_FRAME_BYTES);
                    return;
                }
                expectLength = false;
                parser.fixedSizeMode(len);
            } else {
                expectLength = true;
                parser.fixedSizeMode(4);
                try {
                    onMessage.accept(FrameCodec.decode(record.getBytes()));
                } catch (FrameCodec.BadFrameException e) {
                    failed = true;
                    onViolation.accept(e.getMessage());
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
