package org.council.bridge;

import java.util.Collection;
import java.util.Optional;

/**
 * Ollama's model-naming rule, written once: a name without a tag means the {@code :latest} tag, so
 * {@code llama3} and {@code llama3:latest} name the same model, while {@code llama3:8b} is another.
 * The scheduler routes by {@link #normalize}; the node's chat routing and model catalog look names
 * up with {@link #find}. Stateless and thread-safe.
 */
public final class ModelName {

    private static final String LATEST = ":latest";

    private ModelName() {
    }

    /** The canonical key of a model name: {@code name:latest} becomes {@code name}; any other name stays. */
    public static String normalize(String name) {
        return name.endsWith(LATEST) ? name.substring(0, name.length() - LATEST.length()) : name;
    }

    /** True when {@code asked} and {@code served} name the same model under the {@code :latest} rule. */
    public static boolean matches(String asked, String served) {
        return normalize(asked).equals(normalize(served));
    }

    /** The name among {@code served} that {@code asked} means: itself if served, else the same model under another spelling. */
    public static Optional<String> find(String asked, Collection<String> served) {
        if (served.contains(asked)) {
            return Optional.of(asked);
        }
        return served.stream().filter(s -> matches(asked, s)).findFirst();
    }
}
