package org.council.api.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The direct chunk renderer writes the very bytes the Jackson tree did, timestamp aside. */
class OllamaChunkLinesTest {

    private static final List<String> TEXTS = List.of("", "Hello", " world.", "quote \" and back\\slash / slash",
            "line\nbreak\ttab\r\b\f", "\u0000\u0001\u001f\u007f", "caf\u00e9 \u00fc\u00df", "\u4e2d\u6587 \u20ac",
            "emoji \ud83d\ude00 pair", "lone \ud83d high", "lone \ude00 low", "\u2028\u2029");
    private static final List<String> MODELS = List.of("llama3", "qwen3:0.6b", "we\"ird\\name\u00e9\ud83d\ude00");

    @Test
    void chunkLinesMatchTheJsonTreeByteForByte() {
        for (OllamaCall.Shape shape : OllamaCall.Shape.values()) {
            for (String model : MODELS) {
                OllamaChunkLines lines = new OllamaChunkLines(shape, model);
                for (String text : TEXTS) {
                    Buffer content = Buffer.buffer();
                    lines.append(content, text, false);
                    assertThat(normalized(content.getBytes()))
                            .isEqualTo(normalized(OllamaJson.line(OllamaJson.chunk(shape, model, text))));
                    Buffer thinking = Buffer.buffer();
                    lines.append(thinking, text, true);
                    assertThat(normalized(thinking.getBytes()))
                            .isEqualTo(normalized(OllamaJson.line(OllamaJson.thinkingChunk(shape, model, text))));
                }
            }
        }
    }

    @Test
    void aLineWithoutEscapesFitsTheSizeItAsksFor() {
        for (OllamaCall.Shape shape : OllamaCall.Shape.values()) {
            for (String model : MODELS) {
                OllamaChunkLines lines = new OllamaChunkLines(shape, model);
                for (String text : List.of("", "Hello", " world.", "caf\u00e9", "\u4e2d\u6587 \u20ac")) {
                    for (boolean thinking : new boolean[] {false, true}) {
                        Buffer out = Buffer.buffer();
                        lines.append(out, text, thinking);
                        assertThat(out.length()).isLessThanOrEqualTo(lines.lineBytes(text));
                    }
                }
            }
        }
    }

    @Test
    void batchedLinesAreOneNdjsonLineEach() {
        OllamaChunkLines lines = new OllamaChunkLines(OllamaCall.Shape.CHAT, "m");
        Buffer out = Buffer.buffer();
        lines.append(out, "a\nb", false);
        lines.append(out, "c", true);
        String[] split = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(split).hasSize(3);
        assertThat(split[2]).isEmpty();
        assertThat(new io.vertx.core.json.JsonObject(split[0]).getJsonObject("message").getString("content"))
                .isEqualTo("a\nb");
        assertThat(new io.vertx.core.json.JsonObject(split[1]).getJsonObject("message").getString("thinking"))
                .isEqualTo("c");
    }

    @Test
    void createdAtIsAnIsoInstant() {
        Buffer out = Buffer.buffer();
        new OllamaChunkLines(OllamaCall.Shape.GENERATE, "m").append(out, "x", false);
        String stamp = new io.vertx.core.json.JsonObject(out.toString(StandardCharsets.UTF_8).trim())
                .getString("created_at");
        assertThat(Instant.parse(stamp)).isNotNull();
    }

    /** The line with its created_at value blanked (the two renderings read the clock at different times). */
    private static String normalized(byte[] line) {
        return new String(line, StandardCharsets.ISO_8859_1).replaceFirst("\"created_at\":\"[^\"]*\"", "\"created_at\":\"T\"");
    }
}
