package org.council.node.wire;

import java.util.List;
import org.council.crypto.NodeId;

/**
 * The peer protocol's messages as domain records (docs/protocol.md). {@link FrameCodec} maps them
 * to and from the Protobuf frames; Protobuf types never leave this package.
 */
public sealed interface WireMessage {

    int PROTOCOL_VERSION = 1;

    /**
     * Which message this is. Every record names its kind, and the codec and the session's
     * dispatch switch over kinds with no default: a new message fails compilation until both
     * handle it.
     */
    Kind kind();

    /** The kinds of message, one per field of the {@code Frame} oneof in wire.proto. */
    enum Kind {
        HELLO, CLOCKS, EVENTS, RANGE_REQUEST, PEERS, PING, PONG, GOODBYE,
        INFERENCE_REQUEST, INFERENCE_TOKENS, INFERENCE_DONE, INFERENCE_ERROR, INFERENCE_CANCEL,
        DIAL_BACK_REQUEST, DIAL_BACK_RESULT,
        RELAY_RESERVE, RELAY_RESERVATION, CIRCUIT_CONNECT, CIRCUIT_STATUS, CIRCUIT_DATA, CAPABILITIES
    }

    record Hello(int protocolVersion, String networkId, NodeId nodeId, int listenPort, String agent)
            implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.HELLO;
        }
    }

    /** {@code upTo}: in scoped clocks, the last seq wanted of the feed; 0 = all of it. */
    record FeedClock(NodeId author, long seq, long upTo) {
        public FeedClock(NodeId author, long seq) {
            this(author, seq, 0);
        }
    }

    /**
     * One frame of a node's clock set; {@code last} closes the set. {@code scoped}: the sender
     * replicates only the feeds named (its replication scope), else every feed.
     */
    record Clocks(List<FeedClock> feeds, boolean last, boolean scoped) implements WireMessage {
        public Clocks(List<FeedClock> feeds, boolean last) {
            this(feeds, last, false);
        }

        @Override
        public Kind kind() {
            return Kind.CLOCKS;
        }
    }

    /** Consecutive events of one feed as signed envelopes, in seq order. */
    record EventBatch(NodeId author, List<byte[]> events) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.EVENTS;
        }
    }

    /**
     * "Send this feed from {@code fromSeq} on"; from a scoped peer it also brings the feed into its
     * scope up to {@code upTo} (0 = all of it), or with {@code drop} takes it out.
     */
    record RangeRequest(NodeId author, long fromSeq, long upTo, boolean drop) implements WireMessage {
        public RangeRequest(NodeId author, long fromSeq) {
            this(author, fromSeq, 0, false);
        }

        @Override
        public Kind kind() {
            return Kind.RANGE_REQUEST;
        }
    }

    /** {@code viaSender}: reached through a circuit via whoever sent the list (host empty, port 0). */
    record PeerAddress(NodeId nodeId, String host, int port, boolean viaSender) {
        public PeerAddress(NodeId nodeId, String host, int port) {
            this(nodeId, host, port, false);
        }
    }

    record PeerList(List<PeerAddress> peers) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.PEERS;
        }
    }

    record Ping(long nonce) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.PING;
        }
    }

    record Pong(long nonce) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.PONG;
        }
    }

    record Goodbye(Reason reason, String detail) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.GOODBYE;
        }
    }

    /** A signed inference request: the payload bytes as the requester signed them, and the signature. */
    record InferenceRequest(byte[] request, byte[] signature) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.INFERENCE_REQUEST;
        }
    }

    /**
     * Tokens of a served job, one entry each and in order (several when they waited for the socket
     * together), or a piece of thinking with no tokens.
     */
    record InferenceTokens(byte[] jobId, List<String> tokens, String thinking) implements WireMessage {
        public InferenceTokens {
            tokens = List.copyOf(tokens);
        }

        /** One token; or, with {@code text} empty, a piece of thinking only. */
        public InferenceTokens(byte[] jobId, String text, String thinking) {
            this(jobId, text.isEmpty() ? List.of() : List.of(text), thinking);
        }

        public InferenceTokens(byte[] jobId, String text) {
            this(jobId, text, "");
        }

        /** The tokens' text, concatenated. */
        public String text() {
            return tokens.size() == 1 ? tokens.get(0) : String.join("", tokens);
        }

        @Override
        public Kind kind() {
            return Kind.INFERENCE_TOKENS;
        }
    }

    /**
     * The job finished; {@code proposal} is the server's signed ServiceProposed envelope. An
     * embedding job's vectors are {@code embeddings}: little-endian float32, {@code dimensions}
     * floats per input ({@link EmbeddingVectors}); empty for a chat.
     */
    record InferenceDone(byte[] jobId, String doneReason, byte[] proposal, String toolCallsJson, byte[] embeddings,
                         int dimensions) implements WireMessage {
        public InferenceDone(byte[] jobId, String doneReason, byte[] proposal) {
            this(jobId, doneReason, proposal, "");
        }

        public InferenceDone(byte[] jobId, String doneReason, byte[] proposal, String toolCallsJson) {
            this(jobId, doneReason, proposal, toolCallsJson, new byte[0], 0);
        }

        @Override
        public Kind kind() {
            return Kind.INFERENCE_DONE;
        }
    }

    record InferenceError(byte[] jobId, InferenceErrorCode errorCode, String detail, long retryAfterMs)
            implements WireMessage {
        /** The code's name as docs/protocol.md spells it, for logs and messages; the wire carries its number. */
        public String code() {
            return errorCode.name();
        }

        @Override
        public Kind kind() {
            return Kind.INFERENCE_ERROR;
        }
    }

    record InferenceCancel(byte[] jobId) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.INFERENCE_CANCEL;
        }
    }

    /** Asks the peer to dial this node back at the session's remote IP and {@code port} (reachability). */
    record DialBackRequest(int port, byte[] nonce) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.DIAL_BACK_REQUEST;
        }
    }

    /** The outcome of a dial-back, and the requester's address as the dialling peer observed it. */
    record DialBackResult(byte[] nonce, DialBackStatus status, String observedHost, int observedPort)
            implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.DIAL_BACK_RESULT;
        }
    }

    /** Signed capabilities announcements (ledger envelopes), newest first; see the capabilities gossip. */
    record CapabilityList(List<byte[]> announcements) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.CAPABILITIES;
        }
    }

    /**
     * Why a peer closes a connection. Each reason carries its number in wire.proto's
     * {@code Goodbye.Reason}; the codec maps by that number both ways, never by declaration order.
     */
    enum Reason {
        UNSPECIFIED(0x00),
        SHUTTING_DOWN(0x01),
        PROTOCOL_VIOLATION(0x02),
        INVALID_EVENT(0x03),
        WRONG_NETWORK(0x04),
        WRONG_IDENTITY(0x05),
        DUPLICATE_CONNECTION(0x06),
        TOO_MANY_PEERS(0x07),
        FLOODING(0x08),
        BANNED(0x09);

        private final int number;

        Reason(int number) {
            this.number = number;
        }

        /** The reason's number on the wire. */
        public int number() {
            return number;
        }

        /**
         * The reason with this wire number. A number this node does not know (a newer peer's
         * reason) is {@link #UNSPECIFIED}, on purpose: the goodbye still closes the session and
         * its detail text still says why.
         */
        public static Reason fromNumber(int number) {
            for (Reason r : values()) {
                if (r.number == number) {
                    return r;
                }
            }
            return UNSPECIFIED;
        }
    }

    /** Asks the peer for a relay reservation (circuits to this node through it). */
    record RelayReserve() implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.RELAY_RESERVE;
        }
    }

    /** The relay's answer, with the limits each circuit to the reserving node gets. */
    record RelayReservation(boolean accepted, int maxCircuits, long maxCircuitBytes, int maxCircuitSeconds,
                            String detail) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.RELAY_RESERVATION;
        }
    }

    /** Dialler to relay ({@code toTarget} false): circuit to {@code peer}; relay to target: {@code peer} asks. */
    record CircuitConnect(long circuitId, NodeId peer, boolean toTarget) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.CIRCUIT_CONNECT;
        }
    }

    record CircuitStatus(long circuitId, CircuitState status, String detail) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.CIRCUIT_STATUS;
        }
    }

    /** Opaque bytes of an open circuit. */
    record CircuitData(long circuitId, byte[] data) implements WireMessage {
        @Override
        public Kind kind() {
            return Kind.CIRCUIT_DATA;
        }
    }
}
