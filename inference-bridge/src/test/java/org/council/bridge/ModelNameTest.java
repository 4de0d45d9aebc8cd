package org.council.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelNameTest {

    @Test
    void anUntaggedNameIsTheLatestTag() {
        assertThat(ModelName.normalize("llama3:latest")).isEqualTo("llama3");
        assertThat(ModelName.normalize("llama3")).isEqualTo("llama3");
        assertThat(ModelName.normalize("llama3:8b")).isEqualTo("llama3:8b");
        assertThat(ModelName.matches("llama3", "llama3:latest")).isTrue();
        assertThat(ModelName.matches("llama3:latest", "llama3")).isTrue();
        assertThat(ModelName.matches("llama3", "llama3:8b")).isFalse();
    }

    @Test
    void findPrefersTheExactSpelling() {
        assertThat(ModelName.find("llama3", List.of("llama3:latest", "qwen"))).contains("llama3:latest");
        assertThat(ModelName.find("qwen", List.of("qwen:latest", "qwen"))).contains("qwen");
        assertThat(ModelName.find("llama3:8b", List.of("llama3:latest"))).isEmpty();
    }
}
