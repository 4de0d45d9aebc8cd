package org.council.node.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code council ask}: a council query through the local node's API, streamed: each stage is
 * printed as it completes, then the chairman's answer. Exit 0 when all three stages completed.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask the council a question through the running node and print each stage as it completes, "
                + "then the chairman's answer.",
                "Exit code 0 when all three stages completed, 1 otherwise."})
final class AskCommand implements Callable<Integer> {

    @Mixin
    ApiOptions options;

    @Parameters(arity = "1..*", paramLabel = "QUESTION",
            description = "The question (several words are joined by spaces).")
    List<String> words;

    @Option(names = "--members", paramLabel = "N", description = "How many members to seat (1..12; default: the node's, 3).")
    Integer members;

    @Option(names = "--model", paramLabel = "M", description = "Seat only members serving this model (repeatable).")
    List<String> models;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Deadline of each stage in seconds (1..600; default: the node's, 120).")
    Integer timeout;

    @Option(names = "--json", description = "Print the council's full result as one JSON object (progress goes to stderr).")
    boolean json;

    private JsonObject result;
    private String error;

    @Override
    public Integer call() {
        if (members != null && (members < 1 || members > 12)) {
            throw new CliException(ExitCode.USAGE, "--members must be 1..12, got " + members);
        }
        if (timeout != null && (timeout < 1 || timeout > 600)) {
            throw new CliException(ExitCode.USAGE, "--timeout must be 1..600 seconds, got " + timeout);
        }
        JsonObject body = new JsonObject().put("question", String.join(" ", words)).put("stream", true);
        if (members != null) {
            body.put("members", members);
        }
        if (models != null && !models.isEmpty()) {
            body.put("models", new JsonArray(List.copyOf(models)));
        }
        if (timeout != null) {
            body.put("timeout_seconds", timeout);
        }
        ApiClient api = options.clientWithToken();
        try (Stream<String> lines = api.postEventStream("/council", body)) {
            ServerSentEvents.read(lines, this::onEvent);
        }
        if (error != null) {
            throw new CliException(ExitCode.FAILED, "the council failed: " + error);
        }
        if (result == null) {
            throw new CliException(ExitCode.FAILED, "the node ended the stream before the council's result");
        }
        int stages = result.getInteger("stages_completed", 0);
        if (json) {
            System.out.println(result.encode());
        } else {
            printAnswer(stages);
        }
        return stages == 3 ? ExitCode.OK : ExitCode.FAILED;
    }

    private boolean onEvent(ServerSentEvents.Event e) {
        JsonObject data;
        try {
            data = new JsonObject(e.data());
        } catch (DecodeException | ClassCastException notJson) {
            return true;
        }
        PrintStream out = json ? System.err : System.out;
        switch (e.type()) {
            case "stage_started" -> out.println("stage " + data.getValue("number") + " (" + data.getString("stage")
                    + "): asking " + members(data.getJsonArray("members", new JsonArray())));
            case "member_replied" -> out.println("  " + member(data.getJsonObject("member")) + " replied ("
                    + data.getString("text", "").length() + " characters)");
            case "member_failed" -> out.println("  " + member(data.getJsonObject("member")) + " failed: "
                    + data.getString("reason"));
            case "stage_ended" -> out.println("stage " + data.getValue("number") + " (" + data.getString("stage") + "): "
                    + data.getString("status") + (blank(data.getString("detail")) ? "" : " - " + data.getString("detail")));
            case "result" -> {
                result = data;
                return false;
            }
            case "error" -> {
                String message = ApiClient.errorMessage(e.data());
                error = message != null ? message : e.data();
                return false;
            }
            default -> {
                // a newer node may send more kinds of progress; they are not needed here
            }
        }
        return true;
    }

    private void printAnswer(int stages) {
        System.out.println("stages completed: " + stages + "/3");
        String answer = result.getString("answer");
        JsonObject synthesis = result.getJsonObject("synthesis");
        if (answer == null) {
            System.out.println("no answer");
            for (Object o : result.getJsonArray("failures", new JsonArray())) {
                JsonObject f = (JsonObject) o;
                System.out.println("  " + f.getString("stage") + ": " + member(f.getJsonObject("member")) + ": "
                        + f.getString("reason"));
            }
            return;
        }
        System.out.println();
        System.out.println("answer" + (synthesis == null ? "" : " from the chairman, "
                + member(synthesis.getJsonObject("chairman"))) + ":");
        System.out.println(answer);
    }

    private static String members(JsonArray list) {
        if (list.isEmpty()) {
            return "no members";
        }
        return String.join(", ", list.stream().map(m -> member((JsonObject) m)).toList());
    }

    private static String member(JsonObject m) {
        return m == null ? "?" : StatusCommand.shortId(m.getString("node")) + " (" + m.getString("model") + ")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
