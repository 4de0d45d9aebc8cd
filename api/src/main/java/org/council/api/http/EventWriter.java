package org.council.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.EventId;
import org.council.ledger.event.SignedEvent;

/**
 * Writes events as the audit API serves them straight into a {@link JsonSink}: the same fields,
 * order and bytes as {@link EventJson#event} serialized by Jackson, without building the tree.
 * An event is mostly its own bytes twice (base64 payload and signed envelope) and a handful of
 * ids; encoding those straight into the output, instead of into Strings that Jackson then
 * re-encodes, is what made the serving CPU go to the ledger rather than to JSON.
 *
 * <p>The bodies of the kinds a ledger is made of (receipts and ratings) are written here too;
 * the rare ones (capability announcements, equivocation reports, unknown kinds) keep their one
 * rendering in {@link EventJson#body} and are copied in as Jackson writes them.
 * {@code EventWriterTest} holds the two renderings byte-equal for every kind. Stateless and
 * thread-safe.
 */
final class EventWriter {

    /** A generous size for one event, so that a page's sink rarely grows. */
    static final int EVENT_SIZE_HINT = 1_536;

    static final byte[] ID = JsonSink.ascii("{\"id\":");
    static final byte[] AUTHOR = JsonSink.ascii(",\"author\":");
    static final byte[] SEQ = JsonSink.ascii(",\"seq\":");
    static final byte[] PREV_NULL = JsonSink.ascii(",\"prev\":null");
    static final byte[] PREV = JsonSink.ascii(",\"prev\":");
    static final byte[] TIMESTAMP = JsonSink.ascii(",\"timestamp_ms\":");
    static final byte[] KIND = JsonSink.ascii(",\"kind\":");
    static final byte[] BODY = JsonSink.ascii(",\"body\":");
    static final byte[] PAYLOAD = JsonSink.ascii(",\"payload\":");
    static final byte[] SIGNATURE = JsonSink.ascii(",\"signature\":");
    static final byte[] SIGNED_EVENT = JsonSink.ascii(",\"signed_event\":");

    private static final byte[] JOB_ID = JsonSink.ascii("{\"job_id\":");
    private static final byte[] REQUESTER = JsonSink.ascii(",\"requester\":");
    private static final byte[] MODEL = JsonSink.ascii(",\"model\":");
    private static final byte[] PARAMETERS = JsonSink.ascii(",\"parameters_millions\":");
    private static final byte[] PROMPT_TOKENS = JsonSink.ascii(",\"prompt_tokens\":");
    private static final byte[] COMPLETION_TOKENS = JsonSink.ascii(",\"completion_tokens\":");
    private static final byte[] QUEUE_MS = JsonSink.ascii(",\"queue_ms\":");
    private static final byte[] DURATION_MS = JsonSink.ascii(",\"duration_ms\":");
    private static final byte[] REQUEST_HASH = JsonSink.ascii(",\"request_hash\":");
    private static final byte[] RESPONSE_HASH = JsonSink.ascii(",\"response_hash\":");
    private static final byte[] CREDITS = JsonSink.ascii(",\"credits_milli\":");
    private static final byte[] STAGE = JsonSink.ascii(",\"stage\":");

    private static final byte[] SERVER = JsonSink.ascii(",\"server\":");
    private static final byte[] PROPOSAL_SEQ = JsonSink.ascii(",\"proposal_seq\":");
    private static final byte[] PROPOSAL_ID = JsonSink.ascii(",\"proposal_id\":");

    private static final byte[] COUNCIL_ID = JsonSink.ascii("{\"council_id\":");
    private static final byte[] MEMBERS = JsonSink.ascii(",\"members\":[");
    private static final byte[] MEMBER = JsonSink.ascii("{\"member\":");
    private static final byte[] AVERAGE_RANK = JsonSink.ascii(",\"average_rank_milli\":");
    private static final byte[] RANKINGS = JsonSink.ascii(",\"rankings\":");

    private EventWriter() {
    }

    /** Appends {@code e} as one JSON object. */
    static void write(JsonSink out, SignedEvent e) {
        // Ids are copied into a scratch array rather than through bytes(), which clones.
        byte[] id = new byte[EventId.LENGTH];
        e.id().copyTo(id, 0);
        out.raw(ID).hex(id);
        out.raw(AUTHOR).hex(nodeId(e.author()));
        out.raw(SEQ).number(e.seq());
        if (e.prev() == null) {
            out.raw(PREV_NULL);
        } else {
            e.prev().copyTo(id, 0);
            out.raw(PREV).hex(id);
        }
        out.raw(TIMESTAMP).number(e.timestampMs());
        out.raw(KIND).string(e.kind().wireName());
        out.raw(BODY);
        body(out, e.body());
        out.raw(PAYLOAD).base64(e.payloadUnsafe());
        out.raw(SIGNATURE).hex(e.signatureUnsafe());
        out.raw(SIGNED_EVENT).base64(e.envelopeUnsafe());
        out.raw('}');
    }

    private static void body(JsonSink out, EventBody body) {
        if (body instanceof EventBody.ServiceProposed b) {
            out.raw(JOB_ID).hex(b.jobId().bytes());
            out.raw(REQUESTER).hex(nodeId(b.requester()));
            out.raw(MODEL).string(b.model());
            out.raw(PARAMETERS).number(b.parametersMillions());
            out.raw(PROMPT_TOKENS).number(b.promptTokens());
            out.raw(COMPLETION_TOKENS).number(b.completionTokens());
            out.raw(QUEUE_MS).number(b.queueMs());
            out.raw(DURATION_MS).number(b.durationMs());
            out.raw(REQUEST_HASH).hex(b.requestHash());
            out.raw(RESPONSE_HASH).hex(b.responseHash());
            out.raw(CREDITS).number(b.creditsMilli());
            out.raw(STAGE).string(b.stage()).raw('}');
        } else if (body instanceof EventBody.ServiceAcknowledged b) {
            out.raw(JOB_ID).hex(b.jobId().bytes());
            out.raw(SERVER).hex(nodeId(b.server()));
            out.raw(PROPOSAL_SEQ).number(b.proposalSeq());
            out.raw(PROPOSAL_ID).hex(b.proposalId().bytes()).raw('}');
        } else if (body instanceof EventBody.Rating b) {
            out.raw(COUNCIL_ID).hex(b.councilId().bytes()).raw(MEMBERS);
            boolean first = true;
            for (EventBody.RatedMember m : b.members()) {
                if (!first) {
                    out.raw(',');
                }
                first = false;
                out.raw(MEMBER).hex(nodeId(m.member()));
                out.raw(AVERAGE_RANK).number(m.averageRankMilli());
                out.raw(RANKINGS).number(m.rankings()).raw('}');
            }
            out.raw(']').raw('}');
        } else {
            out.raw(jackson(body));
        }
    }

    private static byte[] nodeId(NodeId id) {
        byte[] b = new byte[NodeId.LENGTH];
        id.copyTo(b, 0);
        return b;
    }

    private static byte[] jackson(EventBody body) {
        try {
            return Responses.MAPPER.writeValueAsBytes(EventJson.body(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body did not serialize", e);
        }
    }
}
