package org.council.node.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
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

    /**
     * Serializes straight into the array the returned buffer wraps, behind its length prefix: an
     * event batch (up to 512 KiB) is copied once here, not three times (into ByteStrings, into a
     * body array, into the buffer); a replicating pull sends every event through this.
     */
    public static Buffer encode(WireMessage m) {
        Frame frame = toFrame(m);
        int size = frame.getSerializedSize();
        if (size > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("frame of " + size + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        byte[] out = new byte[4 + size];
        out[0] = (byte) (size >>> 24);
        out[1] = (byte) (size >>> 16);
        out[2] = (byte) (size >>> 8);
        out[3] = (byte) size;
        CodedOutputStream cos = CodedOutputStream.newInstance(out, 4, size);
        try {
            frame.writeTo(cos);
        } catch (IOException e) {
            throw new IllegalStateException("frame of " + size + " bytes did not fit its own size", e);
        }
        cos.checkNoSpaceLeft();
        return BufferInternal.buffer(Unpooled.wrappedBuffer(out));
    }

    /**
     * Decodes one frame body.
     *
     * @throws ProtocolViolationException when the body is not a frame ({@code NOT_A_FRAME}), holds no
     *         message or one this node does not know ({@code UNKNOWN_MESSAGE}), or a malformed one
     */
    public static WireMessage decode(byte[] body) throws ProtocolViolationException {
        Frame f;
        try {
            // Bytes fields alias the body (ours, never modified) until the mapping below copies
            // them out: one copy of each event fewer. End-of-input is required, as parseFrom(byte[]) does.
            CodedInputStream in = CodedInputStream.newInstance(body);
            in.enableAliasing(true);
            f = Frame.parseFrom(in);
            in.checkLastTagWas(0);
        } catch (IOException e) {
            throw new ProtocolViolationException(ProtocolViolationException.Type.NOT_A_FRAME, "not a protocol frame: " + e.getMessage());
        }
        try {
            return switch (f.getMessageCase()) {
                case HELLO -> new WireMessage.Hello(f.getHello().getProtocolVersion(), f.getHello().getNetworkId(),
                        nodeId(f.getHello().getNodeId()), f.getHello().getListenPort(), f.getHello().getAgent());
                case CLOCKS -> {
                    List<WireMessage.FeedClock> feeds = new ArrayList<>(f.getClocks().getFeedsCount());
                    for (FeedClock c : f.getClocks().getFeedsList()) {
                        feeds.add(new WireMessage.FeedClock(nodeId(c.getAuthor()), c.getSeq(), c.getUpTo()));
                    }
                    yield new WireMessage.Clocks(feeds, f.getClocks().getLast(), f.getClocks().getScoped());
                }
                case EVENTS -> {
                    List<byte[]> events = new ArrayList<>(f.getEvents().getEventsCount());
                    for (ByteString e : f.getEvents().getEventsList()) {
                        events.add(e.toByteArray());
                    }
                    yield new WireMessage.EventBatch(nodeId(f.getEvents().getAuthor()), events);
                }
                case RANGE_REQUEST -> new WireMessage.RangeRequest(nodeId(f.getRangeRequest().getAuthor()),
                        f.getRangeRequest().getFromSeq(), f.getRangeRequest().getUpTo(), f.getRangeRequest().getDrop());
                case PEERS -> {
                    List<WireMessage.PeerAddress> peers = new ArrayList<>();
                    for (PeerAddress p : f.getPeers().getPeersList()) {
                        peers.add(new WireMessage.PeerAddress(nodeId(p.getNodeId()), p.getHost(), p.getPort(),
                                p.getViaSender()));
                    }
                    yield new WireMessage.PeerList(peers);
                }
                case PING -> new WireMessage.Ping(f.getPing().getNonce());
                case PONG -> new WireMessage.Pong(f.getPong().getNonce());
                case GOODBYE -> new WireMessage.Goodbye(WireMessage.Reason.fromNumber(f.getGoodbye().getReasonValue()), f.getGoodbye().getDetail());
                case INFERENCE_REQUEST -> new WireMessage.InferenceRequest(
                        f.getInferenceRequest().getRequest().toByteArray(), f.getInferenceRequest().getSignature().toByteArray());
                case INFERENCE_TOKENS -> new WireMessage.InferenceTokens(
                        f.getInferenceTokens().getJobId().toByteArray(), f.getInferenceTokens().getTextList(),
                        f.getInferenceTokens().getThinking());
                case INFERENCE_DONE -> new WireMessage.InferenceDone(f.getInferenceDone().getJobId().toByteArray(),
                        f.getInferenceDone().getDoneReason(), f.getInferenceDone().getProposal().toByteArray(),
                        f.getInferenceDone().getToolCallsJson(), f.getInferenceDone().getEmbeddings().toByteArray(),
                        f.getInferenceDone().getDimensions());
                case INFERENCE_ERROR -> new WireMessage.InferenceError(f.getInferenceError().getJobId().toByteArray(),
                        InferenceErrorCode.forNumber(f.getInferenceError().getCodeValue()),
                        f.getInferenceError().getDetail(), f.getInferenceError().getRetryAfterMs());
                case INFERENCE_CANCEL -> new WireMessage.InferenceCancel(f.getInferenceCancel().getJobId().toByteArray());
                case DIAL_BACK_REQUEST -> new WireMessage.DialBackRequest(f.getDialBackRequest().getPort(),
                        f.getDialBackRequest().getNonce().toByteArray());
                case DIAL_BACK_RESULT -> new WireMessage.DialBackResult(f.getDialBackResult().getNonce().toByteArray(),
                        DialBackStatus.fromNumber(f.getDialBackResult().getStatusValue()),
                        f.getDialBackResult().getObservedHost(), f.getDialBackResult().getObservedPort());
                case RELAY_RESERVE -> new WireMessage.RelayReserve();
                case RELAY_RESERVATION -> {
                    RelayReservation r = f.getRelayReservation();
                    yield new WireMessage.RelayReservation(r.getAccepted(), r.getMaxCircuits(), r.getMaxCircuitBytes(),
                            r.getMaxCircuitSeconds(), r.getDetail());
                }
                case CIRCUIT_CONNECT -> new WireMessage.CircuitConnect(f.getCircuitConnect().getCircuitId(),
                        nodeId(f.getCircuitConnect().getPeer()), f.getCircuitConnect().getToTarget());
                case CIRCUIT_STATUS -> new WireMessage.CircuitStatus(f.getCircuitStatus().getCircuitId(),
                        CircuitState.fromNumber(f.getCircuitStatus().getStatusValue()),
                        f.getCircuitStatus().getDetail());
                case CIRCUIT_DATA -> new WireMessage.CircuitData(f.getCircuitData().getCircuitId(),
                        f.getCircuitData().getData().toByteArray());
                // proto3 keeps a field of an unknown number as an unknown field: the oneof reads as unset
                case CAPABILITIES -> {
                    List<byte[]> announcements = new ArrayList<>(f.getCapabilities().getAnnouncementsCount());
                    for (ByteString a : f.getCapabilities().getAnnouncementsList()) {
                        announcements.add(a.toByteArray());
                    }
                    yield new WireMessage.CapabilityList(announcements);
                }
                case MESSAGE_NOT_SET -> throw new ProtocolViolationException(
                        ProtocolViolationException.Type.UNKNOWN_MESSAGE, "frame holds no known message");
            };
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException(ProtocolViolationException.Type.MALFORMED_MESSAGE, "malformed " + f.getMessageCase() + ": " + e.getMessage());
        }
    }

    private static Frame toFrame(WireMessage m) {
        Frame.Builder f = Frame.newBuilder();
        // A switch expression over every kind, no default: a new message kind does not compile until encoded.
        Frame.Builder frame = switch (m.kind()) {
            case HELLO -> {
                WireMessage.Hello h = (WireMessage.Hello) m;
                yield f.setHello(Hello.newBuilder().setProtocolVersion(h.protocolVersion()).setNetworkId(h.networkId())
                        .setNodeId(bytes(h.nodeId())).setListenPort(h.listenPort()).setAgent(h.agent()));
            }
            case CLOCKS -> {
                WireMessage.Clocks c = (WireMessage.Clocks) m;
                Clocks.Builder b = Clocks.newBuilder().setLast(c.last()).setScoped(c.scoped());
                c.feeds().forEach(fc -> b.addFeeds(FeedClock.newBuilder().setAuthor(bytes(fc.author())).setSeq(fc.seq())
                        .setUpTo(fc.upTo())));
                yield f.setClocks(b);
            }
            case EVENTS -> {
                WireMessage.EventBatch e = (WireMessage.EventBatch) m;
                EventBatch.Builder b = EventBatch.newBuilder().setAuthor(bytes(e.author()));
                // wrapped, not copied: the frame is serialized before encode returns
                e.events().forEach(ev -> b.addEvents(UnsafeByteOperations.unsafeWrap(ev)));
                yield f.setEvents(b);
            }
            case RANGE_REQUEST -> {
                WireMessage.RangeRequest r = (WireMessage.RangeRequest) m;
                yield f.setRangeRequest(RangeRequest.newBuilder().setAuthor(bytes(r.author())).setFromSeq(r.fromSeq())
                        .setUpTo(r.upTo()).setDrop(r.drop()));
            }
            case PEERS -> {
                PeerList.Builder b = PeerList.newBuilder();
                ((WireMessage.PeerList) m).peers().forEach(p -> b.addPeers(PeerAddress.newBuilder()
                        .setNodeId(bytes(p.nodeId())).setHost(p.host()).setPort(p.port()).setViaSender(p.viaSender())));
                yield f.setPeers(b);
            }
            case PING -> f.setPing(Ping.newBuilder().setNonce(((WireMessage.Ping) m).nonce()));
            case PONG -> f.setPong(Pong.newBuilder().setNonce(((WireMessage.Pong) m).nonce()));
            case GOODBYE -> {
                WireMessage.Goodbye g = (WireMessage.Goodbye) m;
                yield f.setGoodbye(Goodbye.newBuilder().setReasonValue(g.reason().number()).setDetail(g.detail()));
            }
            case INFERENCE_REQUEST -> {
                WireMessage.InferenceRequest r = (WireMessage.InferenceRequest) m;
                yield f.setInferenceRequest(InferenceRequest.newBuilder().setRequest(ByteString.copyFrom(r.request()))
                        .setSignature(ByteString.copyFrom(r.signature())));
            }
            case INFERENCE_TOKENS -> {
                WireMessage.InferenceTokens t = (WireMessage.InferenceTokens) m;
                yield f.setInferenceTokens(InferenceTokens.newBuilder().setJobId(ByteString.copyFrom(t.jobId()))
                        .addAllText(t.tokens()).setThinking(t.thinking()));
            }
            case INFERENCE_DONE -> {
                WireMessage.InferenceDone d = (WireMessage.InferenceDone) m;
                yield f.setInferenceDone(InferenceDone.newBuilder().setJobId(ByteString.copyFrom(d.jobId()))
                        .setDoneReason(d.doneReason()).setProposal(ByteString.copyFrom(d.proposal()))
                        .setToolCallsJson(d.toolCallsJson()).setEmbeddings(ByteString.copyFrom(d.embeddings()))
                        .setDimensions(d.dimensions()));
            }
            case INFERENCE_ERROR -> {
                WireMessage.InferenceError e = (WireMessage.InferenceError) m;
                yield f.setInferenceError(InferenceError.newBuilder().setJobId(ByteString.copyFrom(e.jobId()))
                        .setCodeValue(e.errorCode().number()).setDetail(e.detail()).setRetryAfterMs(e.retryAfterMs()));
            }
            case INFERENCE_CANCEL -> f.setInferenceCancel(InferenceCancel.newBuilder()
                    .setJobId(ByteString.copyFrom(((WireMessage.InferenceCancel) m).jobId())));
            case DIAL_BACK_REQUEST -> {
                WireMessage.DialBackRequest r = (WireMessage.DialBackRequest) m;
                yield f.setDialBackRequest(DialBackRequest.newBuilder().setPort(r.port())
                        .setNonce(ByteString.copyFrom(r.nonce())));
            }
            case DIAL_BACK_RESULT -> {
                WireMessage.DialBackResult r = (WireMessage.DialBackResult) m;
                yield f.setDialBackResult(DialBackResult.newBuilder().setNonce(ByteString.copyFrom(r.nonce()))
                        .setStatusValue(r.status().number()).setObservedHost(r.observedHost())
                        .setObservedPort(r.observedPort()));
            }
            case RELAY_RESERVE -> f.setRelayReserve(RelayReserve.getDefaultInstance());
            case RELAY_RESERVATION -> {
                WireMessage.RelayReservation r = (WireMessage.RelayReservation) m;
                yield f.setRelayReservation(RelayReservation.newBuilder().setAccepted(r.accepted())
                        .setMaxCircuits(r.maxCircuits()).setMaxCircuitBytes(r.maxCircuitBytes())
                        .setMaxCircuitSeconds(r.maxCircuitSeconds()).setDetail(r.detail()));
            }
            case CIRCUIT_CONNECT -> {
                WireMessage.CircuitConnect c = (WireMessage.CircuitConnect) m;
                yield f.setCircuitConnect(CircuitConnect.newBuilder().setCircuitId(c.circuitId())
                        .setPeer(bytes(c.peer())).setToTarget(c.toTarget()));
            }
            case CIRCUIT_STATUS -> {
                WireMessage.CircuitStatus c = (WireMessage.CircuitStatus) m;
                yield f.setCircuitStatus(CircuitStatus.newBuilder().setCircuitId(c.circuitId())
                        .setStatusValue(c.status().number()).setDetail(c.detail()));
            }
            case CIRCUIT_DATA -> {
                WireMessage.CircuitData c = (WireMessage.CircuitData) m;
                yield f.setCircuitData(CircuitData.newBuilder().setCircuitId(c.circuitId())
                        .setData(ByteString.copyFrom(c.data())));
            }
            case CAPABILITIES -> {
                CapabilityList.Builder b = CapabilityList.newBuilder();
                ((WireMessage.CapabilityList) m).announcements().forEach(a -> b.addAnnouncements(ByteString.copyFrom(a)));
                yield f.setCapabilities(b);
            }
        };
        return frame.build();
    }

    private static ByteString bytes(NodeId id) {
        return ByteString.copyFrom(id.bytes());
    }

    private static NodeId nodeId(ByteString b) {
        return NodeId.of(b.toByteArray());
    }
}
