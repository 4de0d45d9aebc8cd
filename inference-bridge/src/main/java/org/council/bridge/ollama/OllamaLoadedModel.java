package org.council.bridge.ollama;

/** One model loaded in memory, from {@code GET /api/ps}. Sizes in bytes. Immutable. */
public record OllamaLoadedModel(String name, long sizeBytes, long sizeVramBytes, String expiresAt) {
}
