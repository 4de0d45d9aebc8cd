package org.council.node.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static long encoded(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void countsWhatEncodingWouldProduce() {
        for (String s : List.of("", "hello", "wörld", "€uro", "日本語", "emoji 😀 ok", "\uD83D", "a\uDE00b", "\uDE00\uD83D")) {
            assertThat(Utf8.length(s)).as("%s", s).isEqualTo(encoded(s));
        }
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            char[] chars = new char[random.nextInt(12)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) random.nextInt(Character.MAX_VALUE + 1); // surrogates paired or not
            }
            String s = new String(chars);
            assertThat(Utf8.length(s)).as("%s", s).isEqualTo(encoded(s));
        }
    }

    @Test
    void piecesTogether() {
        assertThat(Utf8.length(List.of("Hel", "lö", "", " 😀"))).isEqualTo(encoded("Hellö 😀"));
        assertThat(Utf8.length(List.<String>of())).isZero();
    }
}
