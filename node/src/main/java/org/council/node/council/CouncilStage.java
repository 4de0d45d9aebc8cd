package org.council.node.council;

/** The three stages of a council, in order; {@link #id()} is the name used on the wire and in receipts. Thread-safe. */
public enum CouncilStage {
    /** Stage 1: every member answers the question. */
    ANSWER("answer", 1),
    /** Stage 2: every member that answered ranks the others' anonymized answers. */
    REVIEW("review", 2),
    /** Stage 3: the chairman writes the final answer. */
    SYNTHESIS("synthesis", 3);

    private final String id;
    private final int number;

    CouncilStage(String id, int number) {
        this.id = id;
        this.number = number;
    }

    public String id() {
        return id;
    }

    /** 1, 2 or 3. */
    public int number() {
        return number;
    }
}
