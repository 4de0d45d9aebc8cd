package org.council.node.council;

import java.util.List;

/** Progress of a running council, meant to be streamed (for example as server-sent events). Immutable and thread-safe. */
public sealed interface CouncilEvent {

    /** A stage starts with these members (answerers, reviewers, or the chairman). */
    record StageStarted(CouncilStage stage, List<Member> members) implements CouncilEvent {
        public StageStarted {
            members = List.copyOf(members);
        }
    }

    /** A member delivered its reply for the stage. */
    record MemberReplied(CouncilStage stage, Member member, String text) implements CouncilEvent {
    }

    /** A member failed or timed out in the stage and is dropped from it. */
    record MemberFailed(StageFailure failure) implements CouncilEvent {
    }

    /** A stage ended (completed, skipped, failed or not run). */
    record StageEnded(StageReport report) implements CouncilEvent {
    }
}
