package org.council.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ModelInfoTest {

    @Test
    void parameterLabelsAreOllamasWithoutAFormatterAndReadBack() {
        assertThat(ModelInfo.parameterLabel(0)).isEmpty();
        assertThat(ModelInfo.parameterLabel(-3)).isEmpty();
        assertThat(ModelInfo.parameterLabel(270)).isEqualTo("270M");
        assertThat(ModelInfo.parameterLabel(8_030)).isEqualTo("8.0B");
        assertThat(ModelInfo.parameterLabel(70_554)).isEqualTo("70.6B");
        // the same as "%.1fB" of the billions, half up, over every size up to 1,000B
        for (long millions = 1_000; millions <= 1_000_000; millions++) {
            String expected = String.format(Locale.ROOT, "%.1fB", millions / 1000.0);
            if (!ModelInfo.parameterLabel(millions).equals(expected)) {
                assertThat(ModelInfo.parameterLabel(millions)).as("%d million", millions).isEqualTo(expected);
            }
        }
        assertThat(new ModelInfo("m", "b", "", ModelInfo.parameterLabel(8_030), "", 0, false).parameterBillions())
                .hasValue(8.0);
        assertThat(new ModelInfo("m", "b", "", ModelInfo.parameterLabel(270), "", 0, false).parameterBillions())
                .hasValueCloseTo(0.27, org.assertj.core.data.Offset.offset(1e-9));
    }
}
