package org.council.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.council.crypto.NodeId;

/**
 * Reads feeds page by page through a node's audit API ({@code GET /feeds}, then
 * {@code GET /feeds/{author}/events?from=&limit=}), up to the head each feed had when listed, so a
 * live node's new events do not make the read endless. Not thread-safe.
 */
final class ApiFeeds {

    static final int PAGE = 1000;

    /** A feed as {@code GET /feeds} lists it (what the server claims). */
    record Feed(NodeId author, long headSeq, String headId) {
    }

    private final ApiClient api;

    ApiFeeds(ApiClient api) {
        this.api = api;
    }

    /** Every listed feed, or only {@code only}'s when given (an error when the node has no such feed). */
    List<Feed> list(NodeId only) {
        List<Feed> out = new ArrayList<>();
        for (Object o : api.get("/feeds").getJsonArray("feeds", new JsonArray())) {
            JsonObject f = (JsonObject) o;
            NodeId author;
            try {
                author = NodeId.fromHex(f.getString("author"));
            } catch (RuntimeException e) {
                throw new CliException(ExitCode.FAILED, api.baseUrl() + "/feeds lists a malformed author: "
                        + f.getValue("author"));
            }
            if (only == null || only.equals(author)) {
                out.add(new Feed(author, f.getLong("head_seq", 0L), f.getString("head_id")));
            }
        }
        if (only != null && out.isEmpty()) {
            throw new CliException(ExitCode.FAILED, "the node at " + api.baseUrl() + " holds no feed of " + only.hex());
        }
        return out;
    }

    /**
     * Hands {@code page} each page of the feed's events, in seq order, up to its listed head.
     *
     * @return how many events were served (fewer than the head when the server stopped early)
     */
    long pages(Feed feed, Consumer<List<JsonObject>> page) {
        long from = 1;
        long served = 0;
        while (from <= feed.headSeq()) {
            int limit = (int) Math.min(PAGE, feed.headSeq() - from + 1);
            JsonObject body = api.getOrNull("/feeds/" + feed.author().hex() + "/events?from=" + from + "&limit=" + limit);
            JsonArray events = body == null ? new JsonArray() : body.getJsonArray("events", new JsonArray());
            if (events.isEmpty()) {
                break;
            }
            List<JsonObject> list = new ArrayList<>(events.size());
            for (Object o : events) {
                if (!(o instanceof JsonObject j)) {
                    throw new CliException(ExitCode.FAILED, api.baseUrl() + " served a feed page that is not a list of events");
                }
                list.add(j);
            }
            page.accept(list);
            served += list.size();
            from += list.size();
        }
        return served;
    }
}
