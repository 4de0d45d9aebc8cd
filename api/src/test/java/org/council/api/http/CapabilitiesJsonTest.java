package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventBody;
import org.junit.jupiter.api.Test;

// Pins the bytes both endpoints produced before they shared one renderer, field order included.
class CapabilitiesJsonTest {

    private static final String MODEL =
            "{\"name\":\"llama-8b\",\"parameters_millions\":8000,\"quantization\":\"q4\",\"context_length\":8192}";
    private static final EventBody.CapabilitiesAnnounced CAPS = new EventBody.CapabilitiesAnnounced(
            List.of(new EventBody.ModelOffer("llama-8b", 8000, "q4", 8192)), "rtx-4090", 2, "127.0.0.1:7400");

    @Test
    void eventBodyListsModelsFirst() {
        assertThat(EventJson.body(CAPS).toString()).isEqualTo("{\"models\":[" + MODEL
                + "],\"gpu\":\"rtx-4090\",\"concurrency\":2,\"address\":\"127.0.0.1:7400\"}");
    }

    @Test
    void directoryEntryListsTheNodeFirstAndModelsLast() {
        NodeId id = NodeId.fromHex("ab".repeat(32));
        assertThat(CapabilitiesJson.entry(id, CAPS).toString()).isEqualTo("{\"node\":\"" + "ab".repeat(32)
                + "\",\"gpu\":\"rtx-4090\",\"concurrency\":2,\"address\":\"127.0.0.1:7400\",\"models\":[" + MODEL + "]}");
    }
}
