package org.council.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.council.bridge.ChatMessage;
import org.council.bridge.InferenceRequest;
import org.council.bridge.RequesterId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1/chat/completions} and {@code /v1/completions}, whole and streamed, in OpenAI's wire format. */
@ExtendWith(VertxExtension.class)
class OpenAiChatTest {

    private static final String HI = "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private OpenAiFixture api;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        api = new OpenAiFixture(vertx);
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void aChatIsOneChatCompletionObjectUnlessStreamed() {
        OpenAiFixture.Reply r = api.post("/v1/chat/completions", HI + "}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode o = r.json();
        assertThat(o.get("id").asText()).startsWith("chatcmpl-");
        assertThat(o.get("object").asText()).isEqualTo("chat.completion");
        assertThat(o.get("created").asLong()).isPositive();
        assertThat(o.get("model").asText()).as("the name asked for is echoed").isEqualTo("llama3");
        assertThat(o.get("choices")).hasSize(1);
        JsonNode choice = o.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Hello");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(o.get("usage").get("prompt_tokens").asLong()).isEqualTo(7);
        assertThat(o.get("usage").get("completion_tokens").asLong()).isEqualTo(2);
        assertThat(o.get("usage").get("total_tokens").asLong()).isEqualTo(9);

        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.model()).as("resolved as Ollama resolves names").isEqualTo("llama3:latest");
        assertThat(sent.stream()).isFalse();
        assertThat(sent.requester()).isEqualTo(RequesterId.LOCAL);
        assertThat(sent.kind()).isEqualTo(InferenceRequest.Kind.CHAT);
        assertThat(sent.messages()).containsExactly(ChatMessage.user("hi"));
    }

    @Test
    void aStreamedChatIsChunkEventsThenFinishThenUsageThenDone() {
        OpenAiFixture.Reply r = api.post("/v1/chat/completions",
                HI + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/event-stream");
        List<String> events = r.events();
        assertThat(events).hasSize(5);
        assertThat(events.get(4)).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, 4).stream().map(api::parse).toList();
        String id = chunks.get(0).get("id").asText();
        for (JsonNode c : chunks) {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).as("one id for the whole stream").isEqualTo(id);
            assertThat(c.get("model").asText()).isEqualTo("llama3");
        }
        JsonNode first = chunks.get(0).get("choices").get(0);
        assertThat(first.get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(first.get("delta").get("content").asText()).isEqualTo("Hel");
        assertThat(first.get("finish_reason").isNull()).isTrue();
        assertThat(chunks.get(0).get("usage").isNull()).as("usage: null until the last chunk").isTrue();
        JsonNode second = chunks.get(1).get("choices").get(0);
        assertThat(second.get("delta").has("role")).isFalse();
        assertThat(second.get("delta").get("content").asText()).isEqualTo("lo");
        JsonNode finish = chunks.get(2).get("choices").get(0);
        assertThat(finish.get("delta").isEmpty()).isTrue();
        assertThat(finish.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(3).get("choices")).isEmpty();
        assertThat(chunks.get(3).get("usage").get("total_tokens").asLong()).isEqualTo(9);
        assertThat(api.gateway.requests.get(0).stream()).isTrue();
    }

    @Test
    void aStreamWithoutIncludeUsageHasNoUsage() {
        OpenAiFixture.Reply r = api.post("/v1/chat/completions", HI + ",\"stream\":true}");

        assertThat(r.events()).hasSize(4).last().isEqualTo("[DONE]");
        assertThat(r.raw()).doesNotContain("usage");
    }

    @Test
    void samplingFieldsBecomeTheBridgesOptions() {
        String body = "{\"model\":\"simulated-qwen-7b\",\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"ok\",\"refusal\":null,\"tool_calls\":[]}],"
                + "\"max_tokens\":5,\"max_completion_tokens\":9,\"temperature\":0.2,\"top_p\":0.9,\"seed\":42,"
                + "\"stop\":\"\\n\",\"frequency_penalty\":0.5,\"presence_penalty\":-0.5,\"n\":1,"
                + "\"user\":\"u-1\",\"store\":false,\"metadata\":{\"a\":\"b\"},\"response_format\":{\"type\":\"text\"}}";
        OpenAiFixture.Reply r = api.post("/v1/chat/completions", body);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.messages()).containsExactly(ChatMessage.system("be brief"), ChatMessage.user("a\nb"),
                ChatMessage.assistant("ok"));
        assertThat(sent.options()).isEqualTo(Map.of("num_predict", 9, "temperature", 0.2, "top_p", 0.9,
                "seed", 42L, "stop", List.of("\n"), "frequency_penalty", 0.5, "presence_penalty", -0.5));
        assertThat(sent.maxTokens()).hasValue(9);
    }

    @Test
    void maxTokensAloneIsNumPredict() {
        api.post("/v1/chat/completions", HI + ",\"max_tokens\":3,\"stop\":[\"a\",\"b\"]}");

        assertThat(api.gateway.requests.get(0).options()).isEqualTo(Map.of("num_predict", 3, "stop", List.of("a", "b")));
    }

    @Test
    void aCompletionIsATextCompletionWholeOrStreamed() {
        OpenAiFixture.Reply whole = api.post("/v1/completions", "{\"model\":\"llama3:latest\",\"prompt\":\"Once\","
                + "\"max_tokens\":4}");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.json().get("id").asText()).startsWith("cmpl-");
        assertThat(whole.json().get("object").asText()).isEqualTo("text_completion");
        JsonNode choice = whole.json().get("choices").get(0);
        assertThat(choice.get("text").asText()).isEqualTo("Hello");
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(whole.json().get("usage").get("completion_tokens").asLong()).isEqualTo(2);
        InferenceRequest sent = api.gateway.requests.get(0);
        assertThat(sent.kind()).isEqualTo(InferenceRequest.Kind.GENERATE);
        assertThat(sent.prompt()).isEqualTo("Once");
        assertThat(sent.maxTokens()).hasValue(4);

        OpenAiFixture.Reply streamed = api.post("/v1/completions", "{\"model\":\"llama3\",\"prompt\":[\"Once\"],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

        List<String> events = streamed.events();
        assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, 4).stream().map(api::parse).toList();
        assertThat(chunks).allMatch(c -> c.get("object").asText().equals("text_completion"));
        assertThat(chunks.get(0).get("choices").get(0).get("text").asText()).isEqualTo("Hel");
        assertThat(chunks.get(1).get("choices").get(0).get("text").asText()).isEqualTo("lo");
        assertThat(chunks.get(2).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks.get(3).get("choices")).isEmpty();
        assertThat(chunks.get(3).get("usage").get("prompt_tokens").asLong()).isEqualTo(7);
    }

    @Test
    void aStreamedAnswerWithNoTextStillAnnouncesTheRole() {
        api.gateway.script(ScriptedGateway.Script.answer());
        OpenAiFixture.Reply r = api.post("/v1/chat/completions", HI + ",\"stream\":true}");

        assertThat(r.events()).hasSize(3);
        assertThat(api.parse(r.events().get(0)).get("choices").get(0).get("delta").get("role").asText())
                .isEqualTo("assistant");
        assertThat(api.parse(r.events().get(1)).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }
}
