package org.council.bridge;

import java.util.List;
import java.util.Objects;

/**
 * One chat turn: {@code role} is {@code system}, {@code user}, {@code assistant} or {@code tool}.
 * {@code images} are base64 images of a user turn; {@code toolCalls} the calls an assistant turn
 * made; {@code toolName} names the tool whose result a {@code tool} turn carries; {@code thinking}
 * an assistant turn's reasoning. Immutable.
 */
public record ChatMessage(String role, String content, List<String> images, List<ToolCall> toolCalls,
                          String toolName, String thinking) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        images = List.copyOf(images == null ? List.of() : images);
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
        toolName = toolName == null ? "" : toolName;
        thinking = thinking == null ? "" : thinking;
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of(), List.of(), "", "");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
