package org.council.node.wire;

/**
 * A peer sent bytes the protocol does not allow. The type says what was wrong; the peer layer
 * decides what to do (today: goodbye with {@link WireMessage.Reason#PROTOCOL_VIOLATION} and a ban).
 */
public final class ProtocolViolationException extends Exception {

    /** What was wrong with the bytes. */
    public enum Type {
        /** A length prefix outside 1..{@link FrameCodec#MAX_FRAME_BYTES}. */
        FRAME_LENGTH,
        /** The body does not parse as a {@code Frame}. */
        NOT_A_FRAME,
        /** The frame holds no message, or one of a field number this node does not know. */
        UNKNOWN_MESSAGE,
        /** A known message with a field that does not validate (a node id of the wrong length, ...). */
        MALFORMED_MESSAGE
    }

    private final Type type;

    public ProtocolViolationException(Type type, String message) {
        super(message);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    /** The reason a session gives the peer when it closes over this violation. */
    public WireMessage.Reason reason() {
        return WireMessage.Reason.PROTOCOL_VIOLATION;
    }
}
