package org.council.node.council;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts a reviewer's ranking ("Response C", "Response A", …, best first) from its free text.
 *
 * <p>Rules, in order: (1) take the text after a "FINAL RANKING" header (any case, markdown
 * around it allowed); when the header occurs several times, the last one followed by a usable
 * ranking wins; (2) in that section, the first run of numbered items ("1.", "2)", "#3:",
 * "**1.**") gives the order, each item naming its label as "Response X" (bold, parentheses,
 * brackets, lowercase tolerated) or as a bare letter; (3) failing that, every "Response X"
 * mention in the section, in order; (4) with no header at all, every mention in the whole text
 * (karpathy's fallback). Labels not in {@code known} are ignored, repeats keep their first
 * position, and a partial ranking is returned as is. Garbage gives an empty list.
 *
 * <p>Stateless and thread-safe.
 */
public final class RankingParser {

    private static final Pattern HEADER = Pattern.compile("final\\s+ranking", Pattern.CASE_INSENSITIVE);
    private static final Pattern MENTION = Pattern.compile(
            "\\bresponse(?:\\s+|\\s*[-_#:]\\s*|\\s*[(\\[]\\s*)([a-z])(?![a-z0-9])", Pattern.CASE_INSENSITIVE);
    private static final String ITEM = "^\\s*(?:[-*+]\\s+)?[*_#]*\\s*\\(?\\d{1,2}\\s*[.):\\]]";
    private static final Pattern NUMBERED = Pattern.compile(ITEM + ".*");
    private static final Pattern BARE_LETTER = Pattern.compile(ITEM + "[\\s*_\\[(]*([A-Za-z])(?![A-Za-z0-9])");

    private RankingParser() {
    }

    /**
     * @param text the reviewer's reply (may be {@code null})
     * @param known the labels this reviewer was shown ("Response A", …)
     * @return the ranked labels, best first, each at most once; empty when nothing usable was found
     */
    public static List<String> parse(String text, Collection<String> known) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Set<String> labels = Set.copyOf(known);
        List<Integer> headers = new ArrayList<>();
        Matcher h = HEADER.matcher(text);
        while (h.find()) {
            headers.add(h.end());
        }
        if (headers.isEmpty()) {
            return mentions(text, labels);
        }
        for (int i = headers.size() - 1; i >= 0; i--) {
            String section = text.substring(headers.get(i));
            List<String> ranked = numberedItems(section, labels);
            if (ranked.isEmpty()) {
                ranked = mentions(section, labels);
            }
            if (!ranked.isEmpty()) {
                return ranked;
            }
        }
        return List.of();
    }

    private static List<String> numberedItems(String section, Set<String> labels) {
        Set<String> out = new LinkedHashSet<>();
        boolean inList = false;
        for (String line : section.split("\\R")) {
            if (NUMBERED.matcher(line).matches()) {
                inList = true;
                String label = itemLabel(line);
                if (label != null && labels.contains(label)) {
                    out.add(label);
                }
            } else if (inList && !line.isBlank()) {
                break;
            }
        }
        return List.copyOf(out);
    }

    private static String itemLabel(String line) {
        Matcher m = MENTION.matcher(line);
        if (m.find()) {
            return Labels.ofLetter(m.group(1).charAt(0));
        }
        Matcher bare = BARE_LETTER.matcher(line);
        if (bare.find()) {
            return Labels.ofLetter(bare.group(1).charAt(0));
        }
        return null;
    }

    private static List<String> mentions(String text, Set<String> labels) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String label = Labels.ofLetter(m.group(1).charAt(0));
            if (labels.contains(label)) {
                out.add(label);
            }
        }
        return List.copyOf(out);
    }
}
