/**
 * OpenAI's API ({@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/models}) on the
 * Ollama-compatible port, over the {@link org.council.api.ChatGateway} port, so OpenAI clients can
 * use a Council node unchanged. See {@code docs/openai-compatible.md}.
 */
package org.council.api.openai;
