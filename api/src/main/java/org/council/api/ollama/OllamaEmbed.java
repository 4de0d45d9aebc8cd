package org.council.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.api.ChatGateway;
import org.council.bridge.InferenceRequest;
import org.council.bridge.Job;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;

/**
 * {@code POST /api/embed} ({@code input}: a string or a list of strings; answers
 * {@code {"model","embeddings":[[...]],"total_duration","load_duration","prompt_eval_count"}}) and
 * the legacy {@code POST /api/embeddings} ({@code prompt}; answers {@code {"embedding":[...]}}),
 * run as an embedding job through the {@link ChatGateway} for the node's own user. {@code options}
 * and {@code keep_alive} are passed on; {@code truncate: false} and {@code dimensions} are refused
 * (the node cannot promise either). Stateless.
 */
final class OllamaEmbed {

    private OllamaEmbed() {
    }

    /** Parses the body; the request for the gateway, for {@code resolvedModel}. */
    static InferenceRequest request(JsonNode body, boolean legacy, String resolvedModel) {
        List<String> input = new ArrayList<>();
        JsonNode v = body.get(legacy ? "prompt" : "input");
        if (v != null && v.isTextual()) {
            input.add(v.asText());
        } else if (!legacy && v != null && v.isArray() && !v.isEmpty()) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw OllamaError.badRequest("input must be a string or an array of strings");
                }
                input.add(s.asText());
            }
        } else {
            throw OllamaError.badRequest(legacy ? "prompt is required (a string)"
                    : "input is required (a string or a non-empty array of strings)");
        }
        if (!legacy && body.has("truncate") && !body.get("truncate").asBoolean(true)) {
            throw OllamaError.badRequest("truncate: false is not supported by this Council node");
        }
        JsonNode dims = body.get("dimensions");
        if (dims != null && !dims.isNull()) {
            throw OllamaError.badRequest("dimensions is not supported by this Council node");
        }
        Map<String, Object> options = OllamaRequests.options(body);
        RequestFeatures f = new RequestFeatures(List.of(), null, null,
                OllamaFeatures.keepAlive(body.get("keep_alive")), List.of(), input);
        return new InferenceRequest(RequesterId.LOCAL, resolvedModel, InferenceRequest.Kind.EMBED, List.of(), "",
                options, false, f);
    }

    /** Runs the job and answers it, echoing the model name asked. Call on the request's context. */
    static void run(RoutingContext ctx, ChatGateway gateway, InferenceRequest request, String askedModel,
            boolean legacy) {
        Context context = ctx.vertx().getOrCreateContext();
        Job job = gateway.submit(request, text -> { });
        ctx.response().closeHandler(v -> job.cancel());
        job.result().onComplete(ar -> context.runOnContext(v -> {
            if (ar.failed()) {
                OllamaApi.fail(ctx.response(), OllamaError.from(ar.cause(), askedModel));
            } else {
                OllamaApi.send(ctx.response(), 200, legacy ? OllamaJson.embedding(ar.result())
                        : OllamaJson.embed(askedModel, ar.result()));
            }
        }));
    }
}
