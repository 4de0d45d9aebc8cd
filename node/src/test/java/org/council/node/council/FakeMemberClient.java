package org.council.node.council;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.council.bridge.ChatMessage;
import org.council.bridge.TokenSink;

/**
 * A scripted {@link MemberClient}: per seat and stage, reply (optionally after a Vert.x timer),
 * fail, never complete, stream tokens, or rank the shown answers by a fixed preference. Records
 * every call and every cancelled one. Thread-safe.
 */
final class FakeMemberClient implements MemberClient {

    /** One recorded call. */
    record Call(Member member, String stage, List<ChatMessage> messages, Duration timeout, TokenSink sink) {
        String prompt() {
            return messages.get(messages.size() - 1).content();
        }

        /** The answers this call showed, label → text, in prompt order (review and synthesis prompts). */
        Map<String, String> shownAnswers() {
            Map<String, String> out = new LinkedHashMap<>();
            Matcher m = SHOWN.matcher(prompt());
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
            return out;
        }
    }

    private static final Pattern SHOWN = Pattern.compile("^(Response [A-Z]):\\n(.*)$", Pattern.MULTILINE);

    private final Vertx vertx;
    private final Map<String, Function<Call, Future<MemberReply>>> script = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Call> cancelled = new ArrayList<>();

    FakeMemberClient(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Scripts what {@code member} does in {@code stage}. */
    synchronized FakeMemberClient on(Member member, CouncilStage stage, Function<Call, Future<MemberReply>> behaviour) {
        script.put(key(member, stage), behaviour);
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(CouncilStage stage) {
        return calls.stream().filter(c -> c.stage().equals(stage.id())).toList();
    }

    /** The calls the orchestrator cancelled, in the order it did. */
    synchronized List<Call> cancelled() {
        return List.copyOf(cancelled);
    }

    synchronized Call call(Member member, CouncilStage stage) {
        return calls.stream().filter(c -> c.stage().equals(stage.id()) && c.member().sameSeat(member))
                .findFirst().orElseThrow(() -> new AssertionError("no " + stage.id() + " call to " + member.model()));
    }

    @Override
    public Future<MemberReply> complete(Member member, String stage, List<ChatMessage> messages, Duration timeout) {
        return start(member, stage, messages, timeout, TokenSink.NONE).reply();
    }

    @Override
    public MemberCall start(Member member, String stage, List<ChatMessage> messages, Duration timeout, TokenSink sink) {
        Call call = new Call(member, stage, List.copyOf(messages), timeout, sink);
        Function<Call, Future<MemberReply>> behaviour;
        synchronized (this) {
            calls.add(call);
            behaviour = script.get(member.node().hex() + "/" + member.model() + "/" + stage);
        }
        if (behaviour == null) {
            behaviour = defaults(stage);
        }
        Future<MemberReply> reply = behaviour.apply(call);
        return new MemberCall(reply, () -> {
            synchronized (this) {
                cancelled.add(call);
            }
        });
    }

    // ---- behaviours --------------------------------------------------------------------------

    static Function<Call, Future<MemberReply>> reply(String text) {
        return call -> Future.succeededFuture(new MemberReply(text, 10, text.length()));
    }

    Function<Call, Future<MemberReply>> replyAfter(long delayMs, String text) {
        return call -> {
            Promise<MemberReply> p = Promise.promise();
            vertx.setTimer(delayMs, id -> p.complete(new MemberReply(text, 10, text.length())));
            return p.future();
        };
    }

    /** Completes from a plain thread, outside any Vert.x context. */
    static Function<Call, Future<MemberReply>> replyFromForeignThread(String text) {
        return call -> {
            Promise<MemberReply> p = Promise.promise();
            new Thread(() -> p.complete(new MemberReply(text, 10, text.length())), "foreign").start();
            return p.future();
        };
    }

    /** Streams {@code tokens} into the call's sink, one per timer tick, then replies with all of them. */
    Function<Call, Future<MemberReply>> stream(List<String> tokens) {
        return call -> {
            Promise<MemberReply> p = Promise.promise();
            streamFrom(call, tokens, 0, p);
            return p.future();
        };
    }

    private void streamFrom(Call call, List<String> tokens, int next, Promise<MemberReply> p) {
        vertx.setTimer(1, id -> {
            if (next == tokens.size()) {
                String text = String.join("", tokens);
                p.complete(new MemberReply(text, 10, tokens.size()));
                return;
            }
            call.sink().onToken(tokens.get(next));
            streamFrom(call, tokens, next + 1, p);
        });
    }

    static Function<Call, Future<MemberReply>> fail(String reason) {
        return call -> Future.failedFuture(reason);
    }

    /** Never completes, so only the stage timeout ends the call. */
    static Function<Call, Future<MemberReply>> hang() {
        return call -> Promise.<MemberReply>promise().future();
    }

    /** A review that ranks the shown answers by {@code preferred} (answer texts, best first). */
    static Function<Call, Future<MemberReply>> rankBy(List<String> preferred) {
        return call -> {
            Map<String, String> shown = call.shownAnswers();
            List<String> labels = new ArrayList<>(shown.keySet());
            labels.sort((a, b) -> Integer.compare(preferred.indexOf(shown.get(a)), preferred.indexOf(shown.get(b))));
            StringBuilder sb = new StringBuilder("The answers differ in depth.\n\nFINAL RANKING:\n");
            for (int i = 0; i < labels.size(); i++) {
                sb.append(i + 1).append(". ").append(labels.get(i)).append('\n');
            }
            return Future.succeededFuture(new MemberReply(sb.toString(), 50, 20));
        };
    }

    private static Function<Call, Future<MemberReply>> defaults(String stage) {
        if (stage.equals(CouncilStage.REVIEW.id())) {
            return rankBy(List.of());
        }
        return reply(stage.equals(CouncilStage.SYNTHESIS.id()) ? "The council's final answer." : "An answer.");
    }

    private static String key(Member member, CouncilStage stage) {
        return member.node().hex() + "/" + member.model() + "/" + stage.id();
    }
}
