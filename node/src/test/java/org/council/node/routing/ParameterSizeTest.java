package org.council.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ParameterSizeTest {

    @Test
    void ollamasLabelsWithoutAFormatter() {
        assertThat(NetworkChat.parameterSize(0)).isEmpty();
        assertThat(NetworkChat.parameterSize(-3)).isEmpty();
        assertThat(NetworkChat.parameterSize(270)).isEqualTo("270M");
        assertThat(NetworkChat.parameterSize(8_030)).isEqualTo("8.0B");
        assertThat(NetworkChat.parameterSize(70_554)).isEqualTo("70.6B");
        // the same as "%.1fB" of the billions, half up, over every size up to 1,000B
        for (long millions = 1_000; millions <= 1_000_000; millions++) {
            String expected = String.format(Locale.ROOT, "%.1fB", millions / 1000.0);
            if (!NetworkChat.parameterSize(millions).equals(expected)) {
                assertThat(NetworkChat.parameterSize(millions)).as("%d million", millions).isEqualTo(expected);
            }
        }
    }
}
