package org.council.node.council;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;
import org.council.node.council.CouncilEvent.MemberFailed;
import org.council.node.council.CouncilEvent.MemberReplied;
import org.council.node.council.CouncilEvent.StageEnded;
import org.council.node.council.CouncilEvent.StageStarted;
import org.council.node.council.StageCalls.Call;
import org.council.node.council.StageCalls.Outcome;
import org.council.node.council.StageReport.Status;

/**
 * One council's state and flow. Confined to the run's Vert.x context (the one its {@link StageCalls}
 * reports on): {@link #run}, {@link #cancel} and every stage callback assert it. Used once.
 *
 * <p>Every stage sends the conversation's earlier turns ({@link CouncilQuery#history()}) before its
 * own last user turn: the question in stage 1, the review or synthesis prompt after it. Only the
 * chairman's call streams, into {@code answerSink}; stages 1 and 2 produce no answer tokens.
 */
final class CouncilRun {

    private static final System.Logger LOG = System.getLogger(CouncilRun.class.getName());

    private final CouncilQuery query;
    private final CouncilListener listener;
    private final StageCalls calls;
    private final MemberSelector selector;
    private final Random random;
    private final TokenSink answerSink;

    // Accessed by context thread
    private boolean cancelled;
    private final List<StageReport> stages = new ArrayList<>();
    private final List<StageFailure> failures = new ArrayList<>();
    private final List<MemberAnswer> answers = new ArrayList<>();
    private final Map<String, Member> labels = new LinkedHashMap<>();
    private final Map<Member, String> labelOf = new HashMap<>();
    private final List<Review> reviews = new ArrayList<>();
    private List<RankSummary> aggregate = List.of();
    private Synthesis synthesis;

    CouncilRun(CouncilQuery query, CouncilListener listener, StageCalls calls, MemberSelector selector, Random random) {
        this(query, listener, calls, selector, random, TokenSink.NONE);
    }

    CouncilRun(CouncilQuery query, CouncilListener listener, StageCalls calls, MemberSelector selector, Random random,
               TokenSink answerSink) {
        this.answerSink = answerSink;
        this.query = query;
        this.listener = listener;
        this.calls = calls;
        this.selector = selector;
        this.random = random;
    }

    Future<CouncilResult> run() {
        assert calls.onContext() : "CouncilRun.run called off the run's context";
        return answerStage()
                .compose(answered -> answered ? reviewStage().compose(v -> synthesisStage()) : notRun())
                .compose(v -> cancelled ? Future.<Void>failedFuture(new CancellationException("council cancelled"))
                        : Future.<Void>succeededFuture())
                .map(v -> new CouncilResult(query.councilId(), query.question(), query.members(), stages, answers,
                        labels, reviews, aggregate, synthesis, failures));
    }

    /**
     * Stops the council: the members' running calls are cancelled (what they served until then is
     * theirs to claim), no further stage starts, and {@link #run}'s future fails with a
     * {@link CancellationException}. Idempotent.
     */
    void cancel() {
        assert calls.onContext() : "CouncilRun.cancel called off the run's context";
        if (!cancelled) {
            cancelled = true;
            calls.cancelAll("cancelled: the council was stopped");
        }
    }

    // ---- stage 1 ----------------------------------------------------------------------------

    private Future<Boolean> answerStage() {
        List<Call> stageCalls = new ArrayList<>();
        for (Member m : query.members()) {
            stageCalls.add(new Call(m, messages(query.question())));
        }
        return runStage(CouncilStage.ANSWER, stageCalls).map(outcomes -> {
            List<Outcome> delivered = new ArrayList<>(outcomes.stream().filter(Outcome::ok).toList());
            // the council-wide labels are shuffled too, so label order says nothing about reputation
            Collections.shuffle(delivered, random);
            for (int i = 0; i < delivered.size(); i++) {
                Outcome o = delivered.get(i);
                String label = Labels.of(i);
                labels.put(label, o.member());
                labelOf.put(o.member(), label);
                answers.add(new MemberAnswer(o.member(), label, o.reply().text(),
                        o.reply().promptTokens(), o.reply().completionTokens()));
            }
            if (answers.isEmpty()) {
                end(CouncilStage.ANSWER, Status.FAILED, "no member answered");
                return false;
            }
            end(CouncilStage.ANSWER, Status.COMPLETED, answers.size() + " of " + outcomes.size() + " members answered");
            return true;
        });
    }

    private Future<Void> notRun() {
        end(CouncilStage.REVIEW, Status.NOT_RUN, "no answers to review");
        end(CouncilStage.SYNTHESIS, Status.NOT_RUN, "no answers to synthesize");
        return Future.succeededFuture();
    }

    // ---- stage 2 ----------------------------------------------------------------------------

    private Future<Void> reviewStage() {
        if (answers.size() < 2) {
            end(CouncilStage.REVIEW, Status.SKIPPED, "a single answer: nothing to review");
            return Future.succeededFuture();
        }
        // reviewers in label order, each with its own shuffle of the others' answers (never its own)
        Map<Member, Map<String, Member>> shownTo = new HashMap<>();
        List<Call> stageCalls = new ArrayList<>();
        for (MemberAnswer mine : answers) {
            List<MemberAnswer> others = new ArrayList<>(answers);
            others.remove(mine);
            Collections.shuffle(others, random);
            Map<String, Member> reviewerLabels = new LinkedHashMap<>();
            Map<String, String> shown = new LinkedHashMap<>();
            for (int i = 0; i < others.size(); i++) {
                reviewerLabels.put(Labels.of(i), others.get(i).member());
                shown.put(Labels.of(i), others.get(i).text());
            }
            shownTo.put(mine.member(), reviewerLabels);
            String prompt = CouncilPrompts.review(query.question(), !query.history().isEmpty(), shown);
            stageCalls.add(new Call(mine.member(), messages(prompt)));
        }
        return runStage(CouncilStage.REVIEW, stageCalls).map(outcomes -> {
            for (Outcome o : outcomes) {
                if (o.ok()) {
                    reviews.add(review(o, shownTo.get(o.member())));
                }
            }
            aggregate = Rankings.aggregate(answers, reviews);
            if (reviews.isEmpty()) {
                end(CouncilStage.REVIEW, Status.FAILED, "no reviewer delivered");
            } else {
                long parsed = reviews.stream().filter(r -> !r.ranking().isEmpty()).count();
                end(CouncilStage.REVIEW, Status.COMPLETED, reviews.size() + " of " + outcomes.size()
                        + " reviewers delivered, " + parsed + " with a usable ranking");
            }
            return null;
        });
    }

    private static Review review(Outcome o, Map<String, Member> reviewerLabels) {
        List<String> ranked = RankingParser.parse(o.reply().text(), reviewerLabels.keySet());
        List<Member> ranking = ranked.stream().map(reviewerLabels::get).toList();
        return new Review(o.member(), o.reply().text(), reviewerLabels, ranked, ranking,
                o.reply().promptTokens(), o.reply().completionTokens());
    }

    // ---- stage 3 ----------------------------------------------------------------------------

    private Future<Void> synthesisStage() {
        List<Member> answered = answers.stream().map(MemberAnswer::member).toList();
        Member chairman = selector.chairman(query.members(), answered, query.chairman());
        String prompt = CouncilPrompts.synthesis(query.question(), !query.history().isEmpty(), answerTexts(),
                globalRankings(), aggregateByLabel());
        return runStage(CouncilStage.SYNTHESIS, List.of(new Call(chairman, messages(prompt), answerSink))).map(outcomes -> {
            Outcome o = outcomes.get(0);
            if (o.ok()) {
                synthesis = new Synthesis(chairman, o.reply().text(), o.reply().promptTokens(),
                        o.reply().completionTokens());
                end(CouncilStage.SYNTHESIS, Status.COMPLETED, "synthesized by the chairman");
            } else {
                end(CouncilStage.SYNTHESIS, Status.FAILED, "the chairman did not deliver: " + o.error());
            }
            return null;
        });
    }

    private Map<String, String> answerTexts() {
        Map<String, String> out = new LinkedHashMap<>();
        answers.forEach(a -> out.put(a.label(), a.text()));
        return out;
    }

    private List<List<String>> globalRankings() {
        List<List<String>> out = new ArrayList<>();
        for (Review r : reviews) {
            if (!r.ranking().isEmpty()) {
                out.add(r.ranking().stream().map(labelOf::get).toList());
            }
        }
        return out;
    }

    private Map<String, RankSummary> aggregateByLabel() {
        Map<String, RankSummary> out = new LinkedHashMap<>();
        aggregate.forEach(s -> out.put(s.label(), s));
        return out;
    }

    // ---- shared -----------------------------------------------------------------------------

    private Future<List<Outcome>> runStage(CouncilStage stage, List<Call> stageCalls) {
        if (cancelled) {
            return Future.failedFuture(new CancellationException("council cancelled before the " + stage.id() + " stage"));
        }
        emit(new StageStarted(stage, stageCalls.stream().map(Call::member).toList()));
        return calls.all(stage, stageCalls, query.timeouts().of(stage), o -> {
            assert calls.onContext() : "a stage outcome arrived off the run's context";
            if (o.ok()) {
                emit(new MemberReplied(stage, o.member(), o.reply().text()));
            } else {
                StageFailure failure = new StageFailure(stage, o.member(), o.error());
                failures.add(failure);
                emit(new MemberFailed(failure));
            }
        });
    }

    private List<ChatMessage> messages(String lastUserTurn) {
        List<ChatMessage> out = new ArrayList<>(query.history());
        out.add(ChatMessage.user(lastUserTurn));
        return List.copyOf(out);
    }

    private void end(CouncilStage stage, Status status, String detail) {
        assert calls.onContext() : "a stage ended off the run's context";
        StageReport report = new StageReport(stage, status, detail);
        stages.add(report);
        emit(new StageEnded(report));
    }

    private void emit(CouncilEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "council listener failed on " + event.getClass().getSimpleName(), e);
        }
    }
}
