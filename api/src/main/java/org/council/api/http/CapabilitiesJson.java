package org.council.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;

/**
 * The one rendering of announced capabilities, for the body of a {@code capabilities_announced}
 * event and for {@code GET /capabilities}, so that a field added to the announcement shows up in
 * both. The two keep the field order they have always had (the event body lists models first,
 * the directory entry last): clients and exported files see the same bytes as before. Stateless
 * and thread-safe.
 */
final class CapabilitiesJson {

    private CapabilitiesJson() {
    }

    /** The event body: {@code models}, then the node's hardware and address. */
    static ObjectNode body(EventBody.CapabilitiesAnnounced c) {
        ObjectNode o = EventJson.JSON.objectNode();
        models(o, c);
        return hardware(o, c);
    }

    /** One entry of {@code GET /capabilities}: the announcing {@code node}, hardware, then models. */
    static ObjectNode entry(NodeId node, EventBody.CapabilitiesAnnounced c) {
        ObjectNode o = hardware(EventJson.JSON.objectNode().put("node", node.hex()), c);
        models(o, c);
        return o;
    }

    private static ObjectNode hardware(ObjectNode o, EventBody.CapabilitiesAnnounced c) {
        return o.put("gpu", c.gpu()).put("concurrency", c.concurrency()).put("address", c.address());
    }

    private static void models(ObjectNode o, EventBody.CapabilitiesAnnounced c) {
        ArrayNode models = o.putArray("models");
        for (EventBody.ModelOffer m : c.models()) {
            models.addObject()
                    .put("name", m.name())
                    .put("parameters_millions", m.parametersMillions())
                    .put("quantization", m.quantization())
                    .put("context_length", m.contextLength());
        }
    }
}
