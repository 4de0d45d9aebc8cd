package org.council.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints benchmark results as one JSON object per line on standard output, in the shape fixed in
 * {@code docs/design.md}, "Fixed interfaces": {@code {"bench","value","unit","limit","ratio",
 * ...extra fields}}. Progress and commentary go to standard error so that standard output stays
 * machine-readable.
 */
public final class BenchReporter {

    private final PrintStream out;
    private final PrintStream progress;

    public BenchReporter(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    /** A progress message for the human watching (standard error). */
    public void progress(String format, Object... args) {
        progress.println("[bench] " + String.format(Locale.ROOT, format, args));
        progress.flush();
    }

    /**
     * Reports one result. {@code limit} is the reference measured in the same run, or null when
     * the figure has no reference; the ratio is computed here.
     */
    public void result(String bench, double value, String unit, Double limit, Map<String, ?> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("bench", bench);
        fields.put("value", value);
        fields.put("unit", unit);
        fields.put("limit", limit);
        fields.put("ratio", limit == null || limit == 0 ? null : value / limit);
        if (extra != null) {
            fields.putAll(extra);
        }
        out.println(toJson(fields));
        out.flush();
    }

    static String toJson(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append('"').append(escape(e.getKey())).append("\": ").append(jsonValue(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String jsonValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "null";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString(d.longValue())
                    : String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Float f) {
            return jsonValue(f.doubleValue());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> fields = new LinkedHashMap<>();
            m.forEach((k, x) -> fields.put(String.valueOf(k), x));
            return toJson(fields);
        }
        if (v instanceof java.util.List<?> l) {
            return l.stream().map(BenchReporter::jsonValue).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        }
        return '"' + escape(v.toString()) + '"';
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
