package org.council.api.http;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.council.crypto.NodeId;
import org.council.ledger.event.EventId;

/** Parses request parameters, turning every malformed value into a BAD_REQUEST. Stateless. */
final class Params {

    private Params() {
    }

    static NodeId nodeId(RoutingContext ctx, String name) {
        String hex = ctx.pathParam(name);
        try {
            return NodeId.fromHex(requireLowerHex(hex, name));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be 64 lowercase hex characters (a node id)");
        }
    }

    static EventId eventId(RoutingContext ctx, String name) {
        String hex = ctx.pathParam(name);
        try {
            return EventId.fromHex(requireLowerHex(hex, name));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be 64 lowercase hex characters (an event id)");
        }
    }

    /** An optional integer query parameter in [min, max], or {@code dflt} when absent. */
    static long longQuery(RoutingContext ctx, String name, long dflt, long min, long max) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return dflt;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " must be given at most once");
        }
        String s = values.get(0);
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
        if (v < min || v > max) {
            throw ApiException.badRequest(name + " must be between " + min + " and " + max);
        }
        return v;
    }

    // Ids are written in lowercase everywhere; accepting uppercase would give one resource two URLs.
    private static String requireLowerHex(String hex, String name) {
        if (hex == null || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(name + " is not lowercase hex");
        }
        return hex;
    }
}
