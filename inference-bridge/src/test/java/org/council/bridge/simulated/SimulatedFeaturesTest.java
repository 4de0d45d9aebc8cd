package org.council.bridge.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.council.bridge.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.ModelInfo;
import org.council.bridge.RequestFeatures;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulated backend answers tools, formats, think and embeddings in the right shape. */
@ExtendWith(VertxExtension.class)
class SimulatedFeaturesTest {

    private static final SimulatedConfig FAST = SimulatedConfig.defaults().withRate(1000, Duration.ofMillis(1));
    private static final String MODEL = "simulated-llama-3b";
    private static final Map<String, Object> SCHEMA = Map.of("type", "object",
            "properties", Map.of(
                    "name", Map.of("type", "string", "minLength", 12),
                    "age", Map.of("type", "integer", "minimum", 18, "maximum", 20),
                    "score", Map.of("type", "number"),
                    "ok", Map.of("type", "boolean"),
                    "colour", Map.of("enum", List.of("red", "green")),
                    "tags", Map.of("type", "array", "items", Map.of("type", "string"), "minItems", 3),
                    "nested", Map.of("type", "object", "properties", Map.of("x", Map.of("type", "integer")),
                            "required", List.of("x"))),
            "required", List.of("name", "age", "tags", "extra"));

    private static InferenceRequest chat(List<ChatMessage> messages, RequestFeatures f) {
        return new InferenceRequest(RequesterId.LOCAL, MODEL, InferenceRequest.Kind.CHAT, messages, "", Map.of(),
                true, f);
    }

    @Test
    void reportsWhatItImplements(Vertx vertx) {
        List<ModelInfo> models = result(new SimulatedBackend(vertx, FAST).models());
        assertThat(models).allSatisfy(m -> assertThat(m.capabilities())
                .contains("completion", "tools", "thinking", "embedding"));
    }

    @Test
    void offeredToolsYieldACallValidUnderItsSchemaThenATextAnswer(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST);
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "lookup",
                "parameters", SCHEMA));
        RequestFeatures f = new RequestFeatures(List.of(tool), null, null, null, List.of(), List.of());

        InferenceResult call = result(backend.start(chat(List.of(ChatMessage.user("find")), f), TokenSink.NONE)
                .result());
        assertThat(call.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("lookup");
            assertValid(SCHEMA, c.arguments());
        });

        List<ChatMessage> after = List.of(ChatMessage.user("find"),
                new ChatMessage("assistant", "", List.of(), call.toolCalls(), "", ""),
                new ChatMessage("tool", "found", List.of(), List.of(), "lookup", ""));
        InferenceResult answer = result(backend.start(chat(after, f), TokenSink.NONE).result());
        assertThat(answer.toolCalls()).isEmpty();
        assertThat(answer.text()).startsWith(SimulatedBackend.BANNER);
    }

    @Test
    void aRequestedSchemaYieldsJsonValidUnderIt(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST);
        List<String> tokens = new CopyOnWriteArrayList<>();
        InferenceResult r = result(backend.start(chat(List.of(ChatMessage.user("who?")), new RequestFeatures(
                List.of(), SCHEMA, null, null, List.of(), List.of())), tokens::add).result());

        assertThat(String.join("", tokens)).isEqualTo(r.text());
        assertValid(SCHEMA, new JsonObject(r.text()).getMap());
        JsonObject json = result(backend.start(chat(List.of(ChatMessage.user("x")), new RequestFeatures(List.of(),
                "json", null, null, List.of(), List.of())), TokenSink.NONE).result()).text().transform(JsonObject::new);
        assertThat(json.getBoolean("simulated")).isTrue();
    }

    @Test
    void thinkYieldsAThinkingPart(Vertx vertx) {
        List<String> thoughts = new CopyOnWriteArrayList<>();
        TokenSink sink = new TokenSink() {
            @Override
            public void onToken(String text) {
            }

            @Override
            public void onThinking(String text) {
                thoughts.add(text);
            }
        };
        InferenceResult r = result(new SimulatedBackend(vertx, FAST).start(chat(List.of(ChatMessage.user("hm")),
                new RequestFeatures(List.of(), null, true, null, List.of(), List.of())), sink).result());

        assertThat(r.thinking()).startsWith(SimulatedAnswer.THINKING).isEqualTo(String.join("", thoughts));
        assertThat(r.text()).startsWith(SimulatedBackend.BANNER);
    }

    @Test
    void embeddingsAreDeterministicUnitVectors(Vertx vertx) {
        SimulatedBackend backend = new SimulatedBackend(vertx, FAST);
        InferenceRequest req = InferenceRequest.embed(RequesterId.LOCAL, MODEL, List.of("a b", "c"), Map.of());

        InferenceResult one = result(backend.start(req, TokenSink.NONE).result());
        InferenceResult two = result(backend.start(req, TokenSink.NONE).result());

        assertThat(one.embeddings()).hasSize(2);
        assertThat(one.embeddings().get(0)).hasSize(SimulatedJson.EMBEDDING_DIMENSIONS)
                .containsExactly(two.embeddings().get(0));
        double norm = 0;
        for (double d : one.embeddings().get(1)) {
            norm += d * d;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(one.embeddings().get(0)).isNotEqualTo(one.embeddings().get(1));
        assertThat(one.usage().promptTokens()).isEqualTo(3);
    }

    /** A small validator for the subset the generator covers. */
    @SuppressWarnings("unchecked")
    static void assertValid(Object schemaNode, Object value) {
        Map<String, Object> s = (Map<String, Object>) schemaNode;
        if (s.get("enum") instanceof List<?> options) {
            assertThat((List<Object>) options).contains(value);
            return;
        }
        switch (String.valueOf(s.get("type"))) {
            case "object" -> {
                assertThat(value).isInstanceOf(Map.class);
                Map<String, Object> o = (Map<String, Object>) value;
                if (s.get("required") instanceof Collection<?> required) {
                    assertThat(o).containsKeys(required.stream().map(String::valueOf).toArray(String[]::new));
                }
                Map<String, Object> props = (Map<String, Object>) s.getOrDefault("properties", Map.of());
                props.forEach((k, sub) -> {
                    if (o.containsKey(k)) {
                        assertValid(sub, o.get(k));
                    }
                });
            }
            case "array" -> {
                assertThat(value).isInstanceOf(List.class);
                List<Object> l = (List<Object>) value;
                assertThat(l.size()).isGreaterThanOrEqualTo(((Number) s.getOrDefault("minItems", 0)).intValue());
                l.forEach(x -> assertValid(s.get("items"), x));
            }
            case "string" -> {
                assertThat(value).isInstanceOf(String.class);
                assertThat(((String) value).length())
                        .isGreaterThanOrEqualTo(((Number) s.getOrDefault("minLength", 0)).intValue());
            }
            case "integer" -> {
                assertThat(value).isInstanceOfAny(Integer.class, Long.class);
                long v = ((Number) value).longValue();
                assertThat(v).isBetween(((Number) s.getOrDefault("minimum", Long.MIN_VALUE)).longValue(),
                        ((Number) s.getOrDefault("maximum", Long.MAX_VALUE)).longValue());
            }
            case "number" -> assertThat(value).isInstanceOf(Number.class);
            case "boolean" -> assertThat(value).isInstanceOf(Boolean.class);
            default -> { }
        }
    }
}
