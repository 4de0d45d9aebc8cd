package org.council.ledger.vectors;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.council.crypto.Hex;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.Sha256;
import org.council.ledger.codec.EventCodec;
import org.council.ledger.event.EventBody;
import org.council.ledger.event.JobId;
import org.council.ledger.event.SignedEvent;

/**
 * Generates {@code docs/test-vectors/events.json} deterministically (fixed keys, times and ids).
 * {@code TestVectorsTest} checks that the file in the repository equals this output; run
 * {@code main} with the repository root as argument to rewrite it after a deliberate change.
 */
public final class TestVectors {

    static final Path FILE = Path.of("docs", "test-vectors", "events.json");
    private static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private TestVectors() {
    }

    record Vector(String description, SignedEvent event) {
    }

    static List<Vector> vectors() {
        NodeKeyPair a = key(1);
        NodeKeyPair b = key(2);
        NodeKeyPair c = key(3);
        List<Vector> out = new ArrayList<>();
        SignedEvent a1 = EventCodec.sign(a, 1, null, T, new EventBody.CapabilitiesAnnounced(
                List.of(new EventBody.ModelOffer("llama3.1:8b", 8_030, "Q4_K_M", 131_072),
                        new EventBody.ModelOffer("qwen2.5:14b", 14_770, "Q4_K_M", 32_768)),
                "NVIDIA GeForce RTX 4090 24GB", 1, "127.0.0.1:7400"));
        out.add(new Vector("capabilities_announced: first event of a feed (seq 1, empty prev)", a1));
        JobId job = JobId.of(Hex.decode("00112233445566778899aabbccddeeff"));
        byte[] requestHash = Sha256.hash("request bytes as the requester signed them".getBytes(StandardCharsets.UTF_8));
        byte[] responseHash = Sha256.hash("the complete response text".getBytes(StandardCharsets.UTF_8));
        SignedEvent a2 = EventCodec.sign(a, 2, a1.id(), T + 60_000, new EventBody.ServiceProposed(job, b.id(),
                "llama3.1:8b", 8_030, 412, 256, 1_250, 4_800, requestHash, responseHash, 2_144, "answer"));
        out.add(new Vector("service_proposed: the server's half of a receipt (seq 2, prev = id of seq 1)", a2));
        SignedEvent b1 = EventCodec.sign(b, 1, null, T + 61_000,
                new EventBody.ServiceAcknowledged(job, a.id(), 2, a2.id()));
        out.add(new Vector("service_acknowledged: the requester's half, linking the proposal by (author, seq, id)", b1));
        SignedEvent a3 = EventCodec.sign(a, 3, a2.id(), T + 120_000, new EventBody.Rating(
                JobId.of(Hex.decode("ffeeddccbbaa99887766554433221100")),
                List.of(new EventBody.RatedMember(b.id(), 1_000, 2), new EventBody.RatedMember(c.id(), 2_500, 2))));
        out.add(new Vector("rating: a council's peer-review outcome", a3));
        SignedEvent c1 = EventCodec.sign(c, 1, null, T + 1, new EventBody.CapabilitiesAnnounced(List.of(), "", 1, ""));
        SignedEvent c1b = EventCodec.sign(c, 1, null, T + 2, new EventBody.CapabilitiesAnnounced(List.of(), "", 2, ""));
        SignedEvent b2 = EventCodec.sign(b, 2, b1.id(), T + 180_000, new EventBody.EquivocationObserved(c.id(), 1, c1, c1b));
        out.add(new Vector("equivocation_observed: two signed events of the accused with the same seq, nested as "
                + "signed envelopes", b2));
        return out;
    }

    static String json() {
        StringBuilder sb = new StringBuilder("[\n");
        List<Vector> vs = vectors();
        for (int i = 0; i < vs.size(); i++) {
            SignedEvent e = vs.get(i).event();
            sb.append("  {\n");
            field(sb, "description", vs.get(i).description(), false);
            field(sb, "author_public_key", e.author().hex(), false);
            field(sb, "signing_input", Hex.encode(EventCodec.DOMAIN.signingInput(e.payload())), false);
            field(sb, "payload", Hex.encode(e.payload()), false);
            field(sb, "signature", Hex.encode(e.signature()), false);
            field(sb, "signed_event", Hex.encode(e.envelope()), false);
            field(sb, "id", e.id().hex(), true);
            sb.append(i == vs.size() - 1 ? "  }\n" : "  },\n");
        }
        return sb.append("]\n").toString();
    }

    private static void field(StringBuilder sb, String name, String value, boolean last) {
        sb.append("    \"").append(name).append("\": \"").append(value.replace("\"", "\\\"")).append('"')
                .append(last ? "\n" : ",\n");
    }

    /** The private key with every byte equal to {@code n}: public, for vectors only. */
    static NodeKeyPair key(int n) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) n);
        return NodeKeyPair.fromPrivateKey(seed);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : ".").resolve(FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }
}
