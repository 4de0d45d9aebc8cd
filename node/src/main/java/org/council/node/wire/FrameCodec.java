package org.council.node.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.NodeId;

/**
 * Maps {@link WireMessage}s to length-prefixed Protobuf frames and back. Stateless, thread-safe.
 */
public final class FrameCodec {

    /** Largest frame accepted or sent, in bytes (the length prefix excluded). */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    private FrameCodec() {
    }

    /** A decoding failure: the peer sent bytes that are not a valid frame. */
    public static final class BadFrameException extends Exception {
        public BadFrameException(String message) {
            super(message);
        }
    }

    public static Buffer encode(WireMessage m) {
        byte[] body = toFrame(m).toByteArray();
        if (body.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame of " + body.length + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        return Buffer.buffer(4 + body.length).appendInt(body.length).appendBytes(body);
    }

    public static WireMessage decode(byte[] body) throws BadFrameException {
        Frame f;
        try {
            f = Frame.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new BadFrameException("not a protocol frame: " + e.getMessage());
        }
        try {
            return switch (f.getMessageCase()) {
                case HELLO -> new WireMessage.Hello(f.getHello().getProtocolVersion(), f.getHello().getNetworkId(),
                        nodeId(f.getHello().getNodeId()), f.getHello().getListenPort(), f.getHello().getAgent());
                case CLOCKS -> {
                    List<WireMessage.FeedClock> feeds = new ArrayList<>(f.getClocks().getFeedsCount());
                    for (FeedClock c : f.getClocks().getFeedsList()) {
                        feeds.add(new WireMessage.FeedClock(nodeId(c.getAuthor()), c.getSeq()));
                    }
                    yield new WireMessage.Clocks(feeds, f.getClocks().getLast());
                }
                case EVENTS -> {
                    List<byte[]> events = new ArrayList<>(f.getEvents().getEventsCount());
                    for (ByteString e : f.getEvents().getEventsList()) {
                        events.add(e.toByteArray());
                    }
                    yield new WireMessage.EventBatch(nodeId(f.getEvents().getAuthor()), events);
                }
                case RANGE_REQUEST -> new WireMessage.RangeRequest(nodeId(f.getRangeRequest().getAuthor()),
                        f.getRangeRequest().getFromSeq());
                case PEERS -> {
                    List<WireMessage.PeerAddress> peers = new ArrayList<>();
                    for (PeerAddress p : f.getPeers().getPeersList()) {
                        peers.add(new WireMessage.PeerAddress(nodeId(p.getNodeId()), p.getHost(), p.getPort()));
                    }
                    yield new WireMessage.PeerList(peers);
                }
                case PING -> new WireMessage.Ping(f.getPing().getNonce());
                case PONG -> new WireMessage.Pong(f.getPong().getNonce());
                case GOODBYE -> new WireMessage.Goodbye(reason(f.getGoodbye().getReason()), f.getGoodbye().getDetail());
                case INFERENCE_REQUEST -> new WireMessage.InferenceRequest(
                        f.getInferenceRequest().getRequest().toByteArray(), f.getInferenceRequest().getSignature().toByteArray());
                case INFERENCE_TOKENS -> new WireMessage.InferenceTokens(
                        f.getInferenceTokens().getJobId().toByteArray(), f.getInferenceTokens().getText());
                case INFERENCE_DONE -> new WireMessage.InferenceDone(f.getInferenceDone().getJobId().toByteArray(),
                        f.getInferenceDone().getDoneReason(), f.getInferenceDone().getProposal().toByteArray());
                case INFERENCE_ERROR -> new WireMessage.InferenceError(f.getInferenceError().getJobId().toByteArray(),
                        InferenceErrorCode.forNumber(f.getInferenceError().getCodeValue()),
                        f.getInferenceError().getDetail(), f.getInferenceError().getRetryAfterMs());
                case INFERENCE_CANCEL -> new WireMessage.InferenceCancel(f.getInferenceCancel().getJobId().toByteArray());
                case MESSAGE_NOT_SET -> throw new BadFrameException("frame holds no known message");
            };
        } catch (IllegalArgumentException e) {
            throw new BadFrameException("malformed " + f.getMessageCase() + ": " + e.getMessage());
        }
    }

    private static Frame toFrame(WireMessage m) {
        Frame.Builder f = Frame.newBuilder();
        if (m instanceof WireMessage.Hello h) {
            f.setHello(Hello.newBuilder().setProtocolVersion(h.protocolVersion()).setNetworkId(h.networkId())
                    .setNodeId(bytes(h.nodeId())).setListenPort(h.listenPort()).setAgent(h.agent()));
        } else if (m instanceof WireMessage.Clocks c) {
            Clocks.Builder b = Clocks.newBuilder().setLast(c.last());
            c.feeds().forEach(fc -> b.addFeeds(FeedClock.newBuilder().setAuthor(bytes(fc.author())).setSeq(fc.seq())));
            f.setClocks(b);
        } else if (m instanceof WireMessage.EventBatch e) {
            EventBatch.Builder b = EventBatch.newBuilder().setAuthor(bytes(e.author()));
            e.events().forEach(ev -> b.addEvents(ByteString.copyFrom(ev)));
            f.setEvents(b);
        } else if (m instanceof WireMessage.RangeRequest r) {
            f.setRangeRequest(RangeRequest.newBuilder().setAuthor(bytes(r.author())).setFromSeq(r.fromSeq()));
        } else if (m instanceof WireMessage.PeerList pl) {
            PeerList.Builder b = PeerList.newBuilder();
            pl.peers().forEach(p -> b.addPeers(PeerAddress.newBuilder().setNodeId(bytes(p.nodeId()))
                    .setHost(p.host()).setPort(p.port())));
            f.setPeers(b);
        } else if (m instanceof WireMessage.Ping p) {
            f.setPing(Ping.newBuilder().setNonce(p.nonce()));
        } else if (m instanceof WireMessage.Pong p) {
            f.setPong(Pong.newBuilder().setNonce(p.nonce()));
        } else if (m instanceof WireMessage.InferenceRequest r) {
            f.setInferenceRequest(InferenceRequest.newBuilder().setRequest(ByteString.copyFrom(r.request()))
                    .setSignature(ByteString.copyFrom(r.signature())));
        } else if (m instanceof WireMessage.InferenceTokens t) {
            f.setInferenceTokens(InferenceTokens.newBuilder().setJobId(ByteString.copyFrom(t.jobId())).setText(t.text()));
        } else if (m instanceof WireMessage.InferenceDone d) {
            f.setInferenceDone(InferenceDone.newBuilder().setJobId(ByteString.copyFrom(d.jobId()))
                    .setDoneReason(d.doneReason()).setProposal(ByteString.copyFrom(d.proposal())));
        } else if (m instanceof WireMessage.InferenceError e) {
            f.setInferenceError(InferenceError.newBuilder().setJobId(ByteString.copyFrom(e.jobId()))
                    .setCodeValue(e.errorCode().number())
                    .setDetail(e.detail()).setRetryAfterMs(e.retryAfterMs()));
        } else if (m instanceof WireMessage.InferenceCancel c) {
            f.setInferenceCancel(InferenceCancel.newBuilder().setJobId(ByteString.copyFrom(c.jobId())));
        } else if (m instanceof WireMessage.Goodbye g) {
            f.setGoodbye(Goodbye.newBuilder().setReason(Goodbye.Reason.forNumber(g.reason().ordinal()))
                    .setDetail(g.detail()));
        }
        return f.build();
    }

    private static WireMessage.Reason reason(Goodbye.Reason r) {
        int n = r == Goodbye.Reason.UNRECOGNIZED ? 0 : r.getNumber();
        return n < WireMessage.Reason.values().length ? WireMessage.Reason.values()[n] : WireMessage.Reason.UNSPECIFIED;
    }

    private static ByteString bytes(NodeId id) {
        return ByteString.copyFrom(id.bytes());
    }

    private static NodeId nodeId(ByteString b) {
        return NodeId.of(b.toByteArray());
    }
}
