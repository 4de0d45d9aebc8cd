package org.council.api;

import java.util.List;

/**
 * One council query this node ran, as the public read endpoints and the dashboard show it: no
 * question and no answer text (prompts and answers are private; only the asker's acting endpoint
 * returns them). Immutable.
 *
 * @param councilId        the council's job id (hex), as in the ledger's rating event
 * @param startedMs        wall-clock start, milliseconds since the epoch
 * @param durationMs       how long the whole query took
 * @param stagesCompleted  0..3
 * @param members          member node ids (hex) with the model each served, e.g. {@code "ab..@llama-3b"}
 * @param chairman         the chairman's node id (hex), or {@code null} when stage 3 did not run
 * @param failures         how many member calls failed
 */
public record CouncilRecord(String councilId, long startedMs, long durationMs, int stagesCompleted,
                            List<Member> members, String chairman, int failures) {

    public CouncilRecord {
        members = List.copyOf(members);
    }

    /** A member: node id (hex), model, and its mean rank in stage 2 (0 when unranked). */
    public record Member(String node, String model, double meanRank) {
    }
}
