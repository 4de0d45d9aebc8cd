package org.council.node.council;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.council.api.CouncilRecord;

/**
 * The council queries this node ran since it started, newest first, without question or answer
 * text (see {@link CouncilRecord}); the oldest drop out beyond {@value #CAPACITY}. Thread-safe.
 */
final class CouncilHistory {

    static final int CAPACITY = 200;
    private final Deque<CouncilRecord> records = new ArrayDeque<>();

    void record(CouncilResult r, long startedMs, long endedMs) {
        List<CouncilRecord.Member> members = new ArrayList<>();
        for (var m : r.members()) {
            double rank = r.aggregate().stream().filter(s -> s.member().sameSeat(m))
                    .mapToDouble(RankSummary::meanRank).findFirst().orElse(0);
            members.add(new CouncilRecord.Member(m.node().hex(), m.model(), rank));
        }
        CouncilRecord rec = new CouncilRecord(r.councilId().hex(), startedMs, endedMs - startedMs, r.stagesCompleted(),
                members, r.synthesis() == null ? null : r.synthesis().chairman().node().hex(), r.failures().size());
        synchronized (records) {
            records.addFirst(rec);
            while (records.size() > CAPACITY) {
                records.removeLast();
            }
        }
    }

    List<CouncilRecord> newest(int limit) {
        synchronized (records) {
            return records.stream().limit(limit).toList();
        }
    }
}
