package org.council.node.wire;

import java.util.List;
import org.council.crypto.NodeId;

/**
 * The peer protocol's messages as domain records (docs/protocol.md). {@link FrameCodec} maps them
 * to and from the Protobuf frames; Protobuf types never leave this package.
 */
public sealed interface WireMessage {

    int PROTOCOL_VERSION = 1;

    record Hello(int protocolVersion, String networkId, NodeId nodeId, int listenPort, String agent)
            implements WireMessage {
    }

    record FeedClock(NodeId author, long seq) {
    }

    /** One frame of a node's clock set; {@code last} closes the set. */
    record Clocks(List<FeedClock> feeds, boolean last) implements WireMessage {
    }

    /** Consecutive events of one feed as signed envelopes, in seq order. */
    record EventBatch(NodeId author, List<byte[]> events) implements WireMessage {
    }

    record RangeRequest(NodeId author, long fromSeq) implements WireMessage {
    }

    record PeerAddress(NodeId nodeId, String host, int port) {
    }

    record PeerList(List<PeerAddress> peers) implements WireMessage {
    }

    record Ping(long nonce) implements WireMessage {
    }

    record Pong(long nonce) implements WireMessage {
    }

    record Goodbye(Reason reason, String detail) implements WireMessage {
    }

    /** A signed inference request: the payload bytes as the requester signed them, and the signature. */
    record InferenceRequest(byte[] request, byte[] signature) implements WireMessage {
    }

    record InferenceTokens(byte[] jobId, String text) implements WireMessage {
    }

    /** The job finished; {@code proposal} is the server's signed ServiceProposed envelope. */
    record InferenceDone(byte[] jobId, String doneReason, byte[] proposal) implements WireMessage {
    }

    record InferenceError(byte[] jobId, InferenceErrorCode errorCode, String detail, long retryAfterMs)
            implements WireMessage {
        /** The code's name as docs/protocol.md spells it, for logs and messages; the wire carries its number. */
        public String code() {
            return errorCode.name();
        }
    }

    record InferenceCancel(byte[] jobId) implements WireMessage {
    }

    /** Why a peer closes a connection. */
    enum Reason {
        UNSPECIFIED, SHUTTING_DOWN, PROTOCOL_VIOLATION, INVALID_EVENT, WRONG_NETWORK, WRONG_IDENTITY,
        DUPLICATE_CONNECTION, TOO_MANY_PEERS, FLOODING, BANNED
    }
}
