package org.council.bridge.simulated;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the simulated backend "generates" where a shape is asked: a value valid under a JSON
 * schema (the subset models are usually given: {@code type} object, array, string, number,
 * integer, boolean, null; {@code properties}, {@code required}, {@code items}, {@code enum},
 * {@code const}, {@code anyOf}/{@code oneOf}, {@code minimum}/{@code maximum},
 * {@code minItems}/{@code maxItems}, {@code minLength}), and deterministic embedding vectors.
 * Every property is filled, required or not, so the value validates whether or not
 * {@code additionalProperties} is false. Stateless.
 */
final class SimulatedJson {

    /** Dimension of simulated embeddings (as small sentence-embedding models have). */
    static final int EMBEDDING_DIMENSIONS = 384;
    private static final int MAX_DEPTH = 8;

    private SimulatedJson() {
    }

    /** A value valid under {@code schema} (a JSON schema as plain maps); {@code seed} picks among choices. */
    static Object valueFor(Object schema, long seed) {
        return value(schema, new Random(seed), 0);
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object schemaNode, Random random, int depth) {
        if (!(schemaNode instanceof Map<?, ?> raw)) {
            return "simulated";
        }
        Map<String, Object> s = (Map<String, Object>) raw;
        if (s.containsKey("const")) {
            return s.get("const");
        }
        if (s.get("enum") instanceof List<?> options && !options.isEmpty()) {
            return options.get(random.nextInt(options.size()));
        }
        for (String key : List.of("anyOf", "oneOf", "allOf")) {
            if (s.get(key) instanceof List<?> options && !options.isEmpty()) {
                return value(options.get(0), random, depth + 1);
            }
        }
        Object type = s.get("type");
        if (type instanceof List<?> types) {
            type = types.stream().map(Object::toString).filter(t -> !"null".equals(t)).findFirst().orElse("null");
        }
        if (type == null) {
            type = s.containsKey("properties") ? "object" : s.containsKey("items") ? "array" : "string";
        }
        return switch (String.valueOf(type)) {
            case "object" -> object(s, random, depth);
            case "array" -> array(s, random, depth);
            case "integer" -> integer(s, random);
            case "number" -> number(s, random);
            case "boolean" -> random.nextBoolean();
            case "null" -> null;
            default -> string(s);
        };
    }

    @SuppressWarnings("unchecked")
    private static Object object(Map<String, Object> s, Random random, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (depth < MAX_DEPTH && s.get("properties") instanceof Map<?, ?> props) {
            for (Map.Entry<?, ?> e : props.entrySet()) {
                out.put(String.valueOf(e.getKey()), value(e.getValue(), random, depth + 1));
            }
        }
        if (s.get("required") instanceof Collection<?> required) {
            for (Object r : required) {
                out.putIfAbsent(String.valueOf(r), "simulated");
            }
        }
        return out;
    }

    private static Object array(Map<String, Object> s, Random random, int depth) {
        int min = intOf(s.get("minItems"), 0);
        int max = intOf(s.get("maxItems"), Math.max(min, 2));
        int n = Math.min(Math.max(min, Math.min(2, max)), 16);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n && depth < MAX_DEPTH; i++) {
            out.add(value(s.get("items"), random, depth + 1));
        }
        return out;
    }

    private static long integer(Map<String, Object> s, Random random) {
        long min = s.get("minimum") instanceof Number n ? (long) Math.ceil(n.doubleValue()) : 0;
        long max = s.get("maximum") instanceof Number n ? (long) Math.floor(n.doubleValue()) : min + 100;
        return max <= min ? min : min + random.nextInt((int) Math.min(max - min + 1, 1000));
    }

    private static double number(Map<String, Object> s, Random random) {
        double min = s.get("minimum") instanceof Number n ? n.doubleValue() : 0;
        double max = s.get("maximum") instanceof Number n ? n.doubleValue() : min + 100;
        return max <= min ? min : Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0;
    }

    private static String string(Map<String, Object> s) {
        String text = "simulated";
        int min = intOf(s.get("minLength"), 0);
        StringBuilder b = new StringBuilder(text);
        while (b.length() < min) {
            b.append('-').append(text);
        }
        int max = intOf(s.get("maxLength"), Integer.MAX_VALUE);
        return b.length() > max ? b.substring(0, max) : b.toString();
    }

    private static int intOf(Object o, int otherwise) {
        return o instanceof Number n ? n.intValue() : otherwise;
    }

    /** A unit vector seeded by the model and the text: the same input always embeds the same. */
    static double[] embedding(String model, String text) {
        Random random = new Random(seed(model + "\n" + text));
        double[] v = new double[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
        return v;
    }

    static long seed(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = seed << 8 | (h[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
