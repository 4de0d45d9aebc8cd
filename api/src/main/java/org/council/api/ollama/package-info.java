/**
 * The Ollama-compatible endpoint: Ollama's own wire format ({@code /api/chat}, {@code /api/generate},
 * {@code /api/tags}, {@code /api/show}, ...) over the {@link org.council.api.ChatGateway} port, so
 * Ollama clients can use a Council node unchanged. See {@code docs/ollama-compatible.md}.
 */
package org.council.api.ollama;
