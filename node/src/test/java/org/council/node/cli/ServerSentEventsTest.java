package org.council.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void eventsAreSplitOnBlankLinesWithCommentsIgnoredAndDataLinesJoined() {
        List<ServerSentEvents.Event> seen = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(List.of(": council query started", "",
                "event: stage_started", "data: {\"stage\":\"answer\"}", "",
                "data: line one", "data:line two", "",
                "event: result", "data: {}", "", "event: after", "data: x", "").stream(), e -> {
                    seen.add(e);
                    return !e.type().equals("result");
                });
        assertThat(stopped).isTrue();
        assertThat(seen).containsExactly(new ServerSentEvents.Event("stage_started", "{\"stage\":\"answer\"}"),
                new ServerSentEvents.Event("message", "line one\nline two"),
                new ServerSentEvents.Event("result", "{}"));
    }

    @Test
    void aStreamThatEndsMidEventDeliversNothingMore() {
        List<ServerSentEvents.Event> seen = new ArrayList<>();
        assertThat(ServerSentEvents.read(List.of("event: result", "data: {}").stream(), seen::add)).isFalse();
        assertThat(seen).isEmpty();
    }
}
