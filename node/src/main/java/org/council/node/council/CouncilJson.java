package org.council.node.council;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps council results and progress to plain JSON values with snake_case keys and hex ids. Stateless. */
public final class CouncilJson {

    private CouncilJson() {
    }

    static Map<String, Object> toMap(CouncilResult r) {
        Map<Member, String> globalLabel = new HashMap<>();
        r.labels().forEach((label, m) -> globalLabel.put(m, label));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("council_id", r.councilId().hex());
        out.put("question", r.question());
        out.put("stages_completed", r.stagesCompleted());
        out.put("answer", r.answer());
        out.put("top_ranked_label", r.topRankedAnswer().map(MemberAnswer::label).orElse(null));
        out.put("members", r.members().stream().map(CouncilJson::member).toList());
        out.put("stages", r.stages().stream().map(s -> obj(
                "stage", s.stage().id(), "status", s.status().name().toLowerCase(Locale.ROOT),
                "detail", s.detail())).toList());
        out.put("labels", labelMap(r.labels()));
        out.put("answers", r.answers().stream().map(a -> obj("label", a.label(), "member", member(a.member()),
                "text", a.text(), "prompt_tokens", a.promptTokens(), "completion_tokens", a.completionTokens()))
                .toList());
        out.put("reviews", r.reviews().stream().map(v -> obj("reviewer", member(v.reviewer()), "text", v.text(),
                "labels", labelMap(v.labels()), "ranked_labels", v.rankedLabels(),
                "ranking", v.ranking().stream().map(globalLabel::get).toList(),
                "prompt_tokens", v.promptTokens(), "completion_tokens", v.completionTokens())).toList());
        out.put("aggregate", r.aggregate().stream().map(s -> obj("label", s.label(), "member", member(s.member()),
                "mean_rank", s.meanRank(), "rankings", s.rankings())).toList());
        out.put("synthesis", r.synthesis() == null ? null : obj("chairman", member(r.synthesis().chairman()),
                "text", r.synthesis().text(), "prompt_tokens", r.synthesis().promptTokens(),
                "completion_tokens", r.synthesis().completionTokens()));
        out.put("failures", r.failures().stream().map(f -> obj("stage", f.stage().id(), "member", member(f.member()),
                "reason", f.reason())).toList());
        out.put("rated_members", r.ratedMembers().stream().map(m -> obj("member", m.member().hex(),
                "average_rank_milli", m.averageRankMilli(), "rankings", m.rankings())).toList());
        return out;
    }

    /**
     * One progress event as the API streams it: {@code type} is {@code stage_started},
     * {@code member_replied}, {@code member_failed} or {@code stage_ended}. A reply's text is
     * included (the stream goes to the asker only).
     */
    public static Map<String, Object> event(CouncilEvent e) {
        if (e instanceof CouncilEvent.StageStarted s) {
            return obj("type", "stage_started", "stage", s.stage().id(), "number", s.stage().number(),
                    "members", s.members().stream().map(CouncilJson::member).toList());
        } else if (e instanceof CouncilEvent.MemberReplied r) {
            return obj("type", "member_replied", "stage", r.stage().id(), "member", member(r.member()), "text", r.text());
        } else if (e instanceof CouncilEvent.MemberFailed f) {
            return obj("type", "member_failed", "stage", f.failure().stage().id(), "member", member(f.failure().member()),
                    "reason", f.failure().reason());
        }
        CouncilEvent.StageEnded end = (CouncilEvent.StageEnded) e;
        return obj("type", "stage_ended", "stage", end.report().stage().id(), "number", end.report().stage().number(),
                "status", end.report().status().name().toLowerCase(Locale.ROOT), "detail", end.report().detail());
    }

    private static Map<String, Object> member(Member m) {
        return obj("node", m.node().hex(), "model", m.model(), "reputation", m.reputation());
    }

    private static Map<String, Object> labelMap(Map<String, Member> labels) {
        Map<String, Object> out = new LinkedHashMap<>();
        labels.forEach((label, m) -> out.put(label, member(m)));
        return out;
    }

    /** An ordered map from alternating keys and values; values may be null. */
    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }
}
