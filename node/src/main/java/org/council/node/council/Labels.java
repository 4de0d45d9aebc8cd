package org.council.node.council;

/** Anonymous answer labels: "Response A", "Response B", … (at most 26). Stateless. */
final class Labels {

    static final String PREFIX = "Response ";

    private Labels() {
    }

    /** The label for a zero-based position. */
    static String of(int index) {
        if (index < 0 || index >= CouncilQuery.MAX_MEMBERS) {
            throw new IllegalArgumentException("label index out of range: " + index);
        }
        return PREFIX + (char) ('A' + index);
    }

    /** The canonical label for a letter in any case. */
    static String ofLetter(char letter) {
        return of(Character.toUpperCase(letter) - 'A');
    }
}
