package org.council.bridge;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A model offered by one backend. {@code parameterSize} is the backend's label ({@code "8.0B"},
 * {@code "270M"}) or empty when unknown; {@code simulated} is true for the simulated backend.
 * {@code capabilities} are Ollama's words for what the model can do ({@code completion},
 * {@code tools}, {@code vision}, {@code embedding}, {@code thinking}) as its backend reports them.
 * Immutable.
 */
public record ModelInfo(
        String name,
        String backend,
        String family,
        String parameterSize,
        String quantization,
        long sizeBytes,
        boolean simulated,
        List<String> capabilities) {

    /** What a model is assumed to do when its backend does not say. */
    public static final List<String> TEXT_ONLY = List.of("completion");

    public ModelInfo(String name, String backend, String family, String parameterSize, String quantization,
            long sizeBytes, boolean simulated) {
        this(name, backend, family, parameterSize, quantization, sizeBytes, simulated, TEXT_ONLY);
    }

    public ModelInfo withCapabilities(List<String> newCapabilities) {
        return new ModelInfo(name, backend, family, parameterSize, quantization, sizeBytes, simulated, newCapabilities);
    }

    public boolean can(String capability) {
        return capabilities.contains(capability);
    }

    public ModelInfo {
        capabilities = List.copyOf(capabilities == null ? TEXT_ONLY : capabilities);
        family = family == null ? "" : family;
        parameterSize = parameterSize == null ? "" : parameterSize;
        quantization = quantization == null ? "" : quantization;
    }

    /**
     * Ollama's label for a parameter count ({@code "8.0B"}, {@code "270M"}; empty when not known):
     * what {@link #parameterBillions()} reads back. Plain arithmetic, no {@code Formatter}: model
     * lists are built on the request path.
     */
    public static String parameterLabel(long millions) {
        if (millions <= 0) {
            return "";
        }
        if (millions < 1000) {
            return millions + "M";
        }
        long tenths = (millions + 50) / 100; // half up, as "%.1f" rounds
        return tenths / 10 + "." + tenths % 10 + "B";
    }

    /** The parameter count in billions parsed from {@link #parameterSize()}, when it can be read. */
    public OptionalDouble parameterBillions() {
        String s = parameterSize.trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return OptionalDouble.empty();
        }
        double scale = switch (s.charAt(s.length() - 1)) {
            case 'T' -> 1000;
            case 'B' -> 1;
            case 'M' -> 0.001;
            case 'K' -> 0.000001;
            default -> Double.NaN;
        };
        try {
            double v = Double.parseDouble(s.substring(0, s.length() - 1)) * scale;
            return Double.isNaN(v) || v <= 0 ? OptionalDouble.empty() : OptionalDouble.of(v);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
