package org.council.bridge.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.council.bridge.BridgeException;
import org.council.bridge.ChatMessage;
import org.council.bridge.ErrorCode;
import org.council.bridge.InferenceRequest;
import org.council.bridge.InferenceResult;
import org.council.bridge.RequesterId;
import org.council.bridge.TokenSink;
import org.junit.jupiter.api.Test;

/** The streaming decoder against the exact line shapes Ollama (and FakeOllamaServer) sends. */
class OllamaDecoderTest {

    private static final RequesterId ALICE = RequesterId.of("alice");
    private final List<String> events = new ArrayList<>();
    private final TokenSink sink = new TokenSink() {
        @Override
        public void onToken(String text) {
            events.add("token:" + text);
        }

        @Override
        public void onThinking(String text) {
            events.add("thinking:" + text);
        }
    };

    private OllamaDecoder chat() {
        return new OllamaDecoder("ollama", InferenceRequest.chat(ALICE, "qwen3", List.of(ChatMessage.user("hi"))), sink);
    }

    private OllamaDecoder generate() {
        return new OllamaDecoder("ollama", InferenceRequest.generate(ALICE, "qwen3", "hi"), sink);
    }

    @Test
    void chatChunksThinkingToolCallsAndTheFinalObject() {
        OllamaDecoder d = chat();
        assertThat(d.onLine("{\"model\":\"qwen3\",\"created_at\":\"2024-01-01T00:00:00.1Z\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Let me\"},\"done\":false}")).isFalse();
        assertThat(d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hel\\\"lo\\n\\u00e9\\ud83d\\ude00\"},\"done\":false}")).isFalse();
        assertThat(d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},"
                + "\"done\":false}")).isFalse();
        assertThat(d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"done\":true,\"done_reason\":\"length\",\"total_duration\":5,\"load_duration\":1,"
                + "\"prompt_eval_count\":7,\"prompt_eval_duration\":2,\"eval_count\":3,\"eval_duration\":4}")).isTrue();
        InferenceResult r = d.finish();
        assertThat(events).containsExactly("thinking:Let me", "token:Hel\"lo\n\u00e9\ud83d\ude00");
        assertThat(r.text()).isEqualTo("Hel\"lo\n\u00e9\ud83d\ude00");
        assertThat(r.thinking()).isEqualTo("Let me");
        assertThat(r.doneReason()).isEqualTo("length");
        assertThat(r.toolCalls()).hasSize(1);
        assertThat(r.toolCalls().get(0).name()).isEqualTo("get_weather");
        assertThat(r.toolCalls().get(0).arguments()).isEqualTo(Map.of("city", "Paris"));
        assertThat(r.usage().promptTokens()).isEqualTo(7);
        assertThat(r.usage().completionTokens()).isEqualTo(3);
        assertThat(r.usage().evalDurationNanos()).isEqualTo(4);
    }

    @Test
    void unknownFieldsAnywhereAreSkipped() {
        OllamaDecoder d = chat();
        d.onLine("{\"extra\":{\"content\":\"no\",\"list\":[1,{\"message\":{\"content\":\"no\"}}]},\"model\":\"qwen3\","
                + "\"message\":{\"role\":\"assistant\",\"images\":null,\"content\":\"yes\",\"more\":[\"x\"]},"
                + "\"response\":\"not for chat\",\"done\":false,\"n\":1.5}");
        d.onLine("{\"message\":{\"content\":\"a\"},\"message\":{\"thinking\":\"b\"}}");
        assertThat(events).containsExactly("token:yes", "thinking:b");
    }

    @Test
    void generateReadsResponseAndThinkingAndIgnoresMessageContent() {
        OllamaDecoder d = generate();
        d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"response\":\"\",\"thinking\":\"hm\",\"done\":false}");
        d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"response\":\"Blue\",\"message\":{\"content\":\"x\"},\"done\":false}");
        assertThat(d.onLine("{\"model\":\"qwen3\",\"created_at\":\"t\",\"response\":\"\",\"done\":true,\"eval_count\":1}")).isTrue();
        InferenceResult r = d.finish();
        assertThat(events).containsExactly("thinking:hm", "token:Blue");
        assertThat(r.text()).isEqualTo("Blue");
        assertThat(r.doneReason()).isEqualTo("stop");
    }

    @Test
    void anErrorLineMidStreamFailsTheCall() {
        OllamaDecoder d = chat();
        d.onLine("{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}");
        assertThatThrownBy(() -> d.onLine("{\"error\":\"an error was encountered while running the model\"}"))
                .isInstanceOfSatisfying(BridgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_ERROR);
                    assertThat(e.getMessage()).contains("an error was encountered while running the model");
                });
        assertThat(events).containsExactly("token:Hi");
    }

    @Test
    void malformedOrOddlyTypedLinesBehaveAsTheTreeDecoderDid() {
        assertThatThrownBy(() -> chat().onLine("{\"message\":{\"content\":\"unterminated")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> chat().onLine("[1,2]")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> chat().onLine("{\"message\":\"text\"}")).isInstanceOf(RuntimeException.class);
        assertThat(events).isEmpty();
        chat().onLine("{\"message\":{\"content\":1}}"); // the tree decoder's getString read a number as its text
        assertThat(events).containsExactly("token:1");
    }

    @Test
    void anAnswerWithoutItsFinalObjectFails() {
        OllamaDecoder d = chat();
        d.onLine("{\"message\":{\"content\":\"Hi\"},\"done\":false}");
        assertThatThrownBy(d::finish).isInstanceOf(BridgeException.class).hasMessageContaining("done");
    }

    @Test
    void plainChunksTakeTheStreamingPathAndRareLinesTheTree() {
        OllamaChunkScan scan = new OllamaChunkScan();
        assertThat(scan.read("{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"x\"},\"done\":false,\"extra\":[{}]}")).isTrue();
        assertThat(scan.content()).isEqualTo("x");
        assertThat(scan.read("{\"response\":\"y\",\"thinking\":\"z\",\"done\":false}")).isTrue();
        assertThat(scan.response()).isEqualTo("y");
        assertThat(scan.thinking()).isEqualTo("z");
        assertThat(scan.content()).isNull();
        assertThat(scan.read("{\"error\":\"e\"}")).isFalse();
        assertThat(scan.read("{\"message\":{\"content\":\"\"},\"done\":true}")).isFalse();
        assertThat(scan.read("{\"message\":{\"tool_calls\":[]},\"done\":false}")).isFalse();
        assertThat(scan.read("{\"response\":\"y\"} {}")).isFalse();
    }
}
