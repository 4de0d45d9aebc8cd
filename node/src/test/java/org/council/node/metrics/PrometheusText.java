package org.council.node.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a
 * {@code # HELP}/{@code # TYPE} comment or a sample {@code name{label="value",...} value
 * [timestamp]}; anything else fails the parse.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String NUMBER = "(?:[-+]?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)";
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME + ")(?:\\{((?:" + LABEL + ")(?:," + LABEL + ")*,?)?\\})? (" + NUMBER + ")(?: -?[0-9]+)?");
    private static final Pattern ONE_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern COMMENT = Pattern.compile("# (?:HELP " + NAME + " .*|TYPE " + NAME
            + " (?:counter|gauge|histogram|summary|untyped|unknown))");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** Parses the whole text; throws {@link IllegalArgumentException} naming the first bad line. */
    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        PrometheusText parsed = new PrometheusText(samples);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                continue; // the text ends with a newline
            }
            if (line.startsWith("#")) {
                if (!COMMENT.matcher(line).matches()) {
                    throw new IllegalArgumentException("line " + (i + 1) + " is not HELP or TYPE: " + line);
                }
                String[] parts = line.split(" ", 4);
                if (parts[1].equals("TYPE")) {
                    parsed.types.put(parts[2], parts[3]);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = ONE_LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), Map.copyOf(labels), parseNumber(m.group(3))));
        }
        return parsed;
    }

    private static double parseNumber(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    List<Sample> samples() {
        return samples;
    }

    /** The declared type of a metric family, or null. */
    String type(String family) {
        return types.get(family);
    }

    /**
     * The value of the one sample with this name whose labels include {@code labels} (pairs of
     * name, value); fails when there is none or more than one.
     */
    double value(String name, String... labels) {
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name) && matches(s.labels(), labels))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples named " + name + " with labels " + List.of(labels)
                    + ": " + found);
        }
        return found.get(0).value();
    }

    private static boolean matches(Map<String, String> actual, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(actual.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
