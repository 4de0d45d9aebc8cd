package org.council.bridge.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The character scan against the tree decoder: whatever line the scan takes, a JSON parser reads
 * the same text and thinking from it and finds a plain not-done chunk; the lines Ollama streams
 * are taken by the scan.
 */
class OllamaChunkScanTest {

    private static final List<String> PLAIN = List.of(
            "{\"model\":\"llama3.2\",\"created_at\":\"2024-07-01T10:00:00.123Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}",
            "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hmm \\\"quoted\\\" \\u00e9\\ud83d\\ude00\\n\"},\"done\":false}",
            "{\"model\":\"m\",\"created_at\":\"t\",\"response\":\" world\",\"done\":false}",
            "{\"model\":\"m\",\"response\":\"\",\"thinking\":\"step\\t1\\\\2\\/3\",\"done\":false}",
            " { \"message\" : { \"content\" : \"a\" , \"images\" : null , \"x\" : [1, -2.5e+3, 0.0, true, false, null, {\"k\":[]} ] } , \"done\" : false } ",
            "{\"message\":{\"content\":\"first\"},\"message\":{\"content\":\"second\"},\"done\":false}",
            "{\"message\":{\"content\":\"ünïcödé 中文\"},\"extra\":{\"a\":{\"b\":{\"c\":[[[]]]}}},\"done\":false}",
            // keys spelled with escapes, and escapes in values skipped under known keys
            "{\"m\\u0065ssage\":{\"c\\u006fntent\":\"esc\"},\"d\\u006fne\":false}",
            "{\"model\":\"a\\\"b\",\"created_at\":\"\\u0074\",\"message\":{\"role\":\"x\\\\y\",\"content\":\"ok\"},\"done\":false}",
            "{}");

    private static final List<String> RARE = List.of(
            "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"eval_count\":3}",
            "{\"error\":\"model not found\"}",
            "{\"message\":{\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{}}}]},\"done\":false}",
            "{\"message\":{\"content\":5},\"done\":false}",
            "{\"response\":null,\"done\":false}",
            "{\"message\":\"text\",\"done\":false}",
            "{\"done\":\"false\"}",
            "[\"not an object\"]",
            "{\"message\":{\"content\":\"a\"}} trailing",
            "{\"message\":{\"content\":\"a\"},}",
            "{\"n\":01,\"done\":false}",
            "{\"n\":1.,\"done\":false}",
            "{\"n\":NaN,\"done\":false}",
            "{\"s\":\"bad \\x escape\",\"done\":false}",
            "{\"s\":\"raw\ttab\",\"done\":false}",
            "{\"model\":\"bad \\q escape\",\"done\":false}",
            "{\"message\":{\"role\":\"raw\ttab\",\"content\":\"a\"},\"done\":false}",
            "{\"done\":falsey}",
            "{'single':'quotes'}",
            "{\"message\":{\"content\":\"unterminated",
            "{\"deep\":" + "[".repeat(200) + "]".repeat(200) + ",\"done\":false}");

    @Test
    void plainChunksAreTakenAndReadAsATreeReadsThem() {
        OllamaChunkScan scan = new OllamaChunkScan();
        for (String line : PLAIN) {
            assertThat(scan.read(line)).as(line).isTrue();
            assertSameAsTree(scan, line);
        }
    }

    @Test
    void rareOrInvalidLinesGoToTheTreeDecoder() {
        OllamaChunkScan scan = new OllamaChunkScan();
        for (String line : RARE) {
            assertThat(scan.read(line)).as(line).isFalse();
        }
    }

    @Test
    void unicodeEscapesTakeOnlyAsciiHexDigits() {
        // Arabic-Indic digits 0041: Character.digit reads them as hex, a JSON parser does not
        String line = "{\"response\":\"\\u\u0660\u0660\u0664\u0661\",\"done\":false}";
        assertThatThrownBy(() -> new JsonObject(line)).as(line).isInstanceOf(DecodeException.class);
        assertThat(new OllamaChunkScan().read(line)).as(line).isFalse();
    }

    @Test
    void noMutationOfAChunkIsTakenUnlessATreeReadsTheSame() {
        OllamaChunkScan scan = new OllamaChunkScan();
        Random random = new Random(7);
        String alphabet = "{}[]\":,\\ tfnrue0123456789.-+eE\u00e9a";
        int taken = 0;
        List<String> seeds = new ArrayList<>(PLAIN);
        seeds.addAll(RARE);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0 && b.length() > 0; edits--) {
                int at = random.nextInt(b.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, c);
                    default -> b.setCharAt(at, c);
                }
            }
            String line = b.toString();
            if (scan.read(line)) {
                taken++;
                assertSameAsTree(scan, line);
            }
        }
        assertThat(taken).as("mutations still plain chunks").isGreaterThan(1_000);
    }

    /** What the tree decoder makes of a line the scan took: a plain chunk with the same pieces. */
    private static void assertSameAsTree(OllamaChunkScan scan, String line) {
        JsonObject o = new JsonObject(line); // throws if the scan took what a parser refuses
        assertThat(o.containsKey("error")).as(line).isFalse();
        assertThat(o.getValue("done", false)).as(line).isEqualTo(false);
        Object message = o.getValue("message");
        if (message != null) {
            assertThat(message).as(line).isInstanceOf(JsonObject.class);
            JsonObject m = (JsonObject) message;
            assertThat(m.getValue("tool_calls")).as(line).isNull();
            assertThat(m.getValue("content")).as(line).isEqualTo(scan.content());
            assertThat(m.getValue("thinking")).as(line).isEqualTo(scan.messageThinking());
        } else {
            assertThat(scan.content()).as(line).isNull();
        }
        assertThat(o.getValue("response")).as(line).isEqualTo(scan.response());
        assertThat(o.getValue("thinking")).as(line).isEqualTo(scan.thinking());
        assertThat(o.getValue("x") instanceof JsonArray || !o.containsKey("x")).isTrue();
    }
}
