package org.council.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import java.util.Objects;
import org.council.api.NodeInfo;
import org.council.api.RefusedClaim;

/**
 * {@code GET /claims/refused}: the receipt claims this node did not pay, newest first, each with
 * the server, job, model, credits claimed and the reason (docs/reputation.md, "Credits"). An
 * in-memory read of the node's port; thread-safe.
 */
final class ClaimsApi {

    static final int MAX_LIMIT = 1000;

    private final NodeInfo node;

    ClaimsApi(NodeInfo node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    void mount(Router r) {
        r.get(AuditApi.BASE + "/claims/refused").handler(ctx -> {
            int limit = (int) Params.longQuery(ctx, "limit", 100, 1, MAX_LIMIT);
            ObjectNode o = EventJson.JSON.objectNode();
            ArrayNode list = o.putArray("refused");
            for (RefusedClaim c : node.refusedClaims(limit)) {
                list.addObject()
                        .put("server", c.server().hex())
                        .put("job_id", c.jobId())
                        .put("model", c.model())
                        .put("claimed_credits_milli", c.claimedCreditsMilli())
                        .put("reason", c.reason())
                        .put("at_ms", c.atMs());
            }
            Responses.now(ctx, 200, o);
        });
    }
}
