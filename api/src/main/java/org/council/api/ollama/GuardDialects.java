package org.council.api.ollama;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import org.council.api.http.BrowserGuard;

/**
 * The error shapes a {@link BrowserGuard} refusal takes on this port: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} for a path under {@code /v1/} (where real
 * Ollama serves OpenAI's API, and OpenAI's clients parse that shape), Ollama's
 * {@code {"error":"..."}} for everything else. Stateless.
 */
final class GuardDialects {

    private GuardDialects() {
    }

    /** Picks the shape by the request's path. */
    static BrowserGuard.Dialect byRoute() {
        return (ctx, status, message) -> {
            String path = ctx.request().path();
            if (path != null && (path.equals("/v1") || path.startsWith("/v1/"))) {
                openAi(ctx, status, message);
            } else {
                OllamaApi.fail(ctx.response(), new OllamaError(status, message));
            }
        };
    }

    /** OpenAI's shape; a missing or wrong key is its {@code invalid_api_key}. */
    static void openAi(RoutingContext ctx, int status, String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode e = o.putObject("error").put("message", message).put("type", "invalid_request_error");
        e.putNull("param");
        if (status == 401) {
            e.put("code", "invalid_api_key");
        } else {
            e.putNull("code");
        }
        OllamaApi.send(ctx.response(), status, o);
    }
}
