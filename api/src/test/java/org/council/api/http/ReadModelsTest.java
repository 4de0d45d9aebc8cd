package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Shapes and values of accounts, equivocations, reputation and node info. */
@ExtendWith(VertxExtension.class)
class ReadModelsTest {

    private ApiFixture net;

    @BeforeEach
    void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
        net = new ApiFixture(vertx, dir, null);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    @Test
    void accountsCountSettledAndPendingCredits() {
        long settled = ApiFixture.ACKS * ApiFixture.CREDITS;
        JsonNode server = get("/api/v1/accounts/" + net.a.id().hex());
        assertThat(names(server)).containsExactlyInAnyOrder("id", "balance_milli", "earned_milli", "spent_milli",
                "pending_earned_milli", "served_jobs", "requested_jobs", "karma", "equivocator");
        assertThat(server.get("id").asText()).isEqualTo(net.a.id().hex());
        assertThat(server.get("earned_milli").asLong()).isEqualTo(settled);
        assertThat(server.get("balance_milli").asLong()).isEqualTo(settled);
        assertThat(server.get("pending_earned_milli").asLong())
                .isEqualTo((ApiFixture.PROPOSALS - ApiFixture.ACKS) * ApiFixture.CREDITS);
        assertThat(server.get("served_jobs").asLong()).isEqualTo(ApiFixture.ACKS);
        assertThat(server.get("karma").isNumber()).isTrue();
        assertThat(server.get("equivocator").asBoolean()).isFalse();

        JsonNode requester = get("/api/v1/accounts/" + net.b.id().hex());
        assertThat(requester.get("spent_milli").asLong()).isEqualTo(settled);
        assertThat(requester.get("balance_milli").asLong()).isEqualTo(-settled);
        assertThat(requester.get("requested_jobs").asLong()).isEqualTo(ApiFixture.ACKS);

        assertThat(get("/api/v1/accounts/" + net.liar.id().hex()).get("equivocator").asBoolean()).isTrue();
    }

    @Test
    void equivocationsCarryBothSignedEvents() throws Exception {
        JsonNode proofs = get("/api/v1/equivocations").get("equivocations");
        assertThat(proofs).hasSize(1);
        JsonNode p = proofs.get(0);
        assertThat(names(p)).containsExactlyInAnyOrder("accused", "seq", "first_id", "first", "second_id", "second");
        assertThat(p.get("accused").asText()).isEqualTo(net.liar.id().hex());
        assertThat(p.get("seq").asLong()).isEqualTo(1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String which : List.of("first", "second")) {
            byte[] envelope = Base64.getDecoder().decode(p.get(which).asText());
            assertThat(HexFormat.of().formatHex(sha.digest(envelope))).isEqualTo(p.get(which + "_id").asText());
        }
        assertThat(p.get("first").asText()).isNotEqualTo(p.get("second").asText());

        // this node's own feed carries the proof as an equivocation_observed event
        String self = net.store.self().hex();
        JsonNode own = get("/api/v1/feeds/" + self + "/events").get("events");
        JsonNode observed = own.get(own.size() - 1);
        assertThat(observed.get("kind").asText()).isEqualTo("equivocation_observed");
        assertThat(observed.at("/body/accused").asText()).isEqualTo(net.liar.id().hex());
        assertThat(observed.at("/body/first_id").asText()).isIn(p.get("first_id").asText(), p.get("second_id").asText());
    }

    @Test
    void reputationAndNodeHaveTheirShapes() {
        JsonNode ranking = get("/api/v1/reputation").get("ranking");
        assertThat(ranking).isNotEmpty();
        for (JsonNode r : ranking) {
            assertThat(names(r)).containsExactlyInAnyOrder("rank", "id", "karma", "trust", "balance_milli", "equivocator");
            assertThat(r.get("id").asText()).matches("[0-9a-f]{64}");
        }
        JsonNode node = get("/api/v1/node");
        assertThat(node.get("id").asText()).isEqualTo(net.store.self().hex());
        assertThat(node.get("version").asText()).isEqualTo("0.1.0-test");
        assertThat(node.get("peers").asInt()).isEqualTo(2);
        assertThat(node.get("ollama").asText()).isEqualTo("http://127.0.0.1:11435");
    }

    @Test
    void bodiesAreSnakeCaseWithHexBytes() {
        JsonNode events = get("/api/v1/feeds/" + net.a.id().hex() + "/events?from=2&limit=1").get("events");
        JsonNode body = events.get(0).get("body");
        assertThat(events.get(0).get("kind").asText()).isEqualTo("service_proposed");
        assertThat(body.get("requester").asText()).isEqualTo(net.b.id().hex());
        assertThat(body.get("job_id").asText()).matches("[0-9a-f]{32}");
        assertThat(body.get("request_hash").asText()).matches("[0-9a-f]{64}");
        assertThat(body.get("credits_milli").asLong()).isEqualTo(ApiFixture.CREDITS);
        JsonNode ack = get("/api/v1/feeds/" + net.b.id().hex() + "/events?from=2&limit=1").at("/events/0/body");
        assertThat(ack.get("proposal_id").asText()).isEqualTo(events.get(0).get("id").asText());
        JsonNode rating = get("/api/v1/feeds/" + net.b.id().hex() + "/events?from=" + (ApiFixture.ACKS + 2))
                .at("/events/0/body");
        assertThat(rating.at("/members/0/member").asText()).isEqualTo(net.a.id().hex());
        assertThat(rating.at("/members/0/average_rank_milli").asInt()).isEqualTo(1500);
    }

    private JsonNode get(String path) {
        ApiFixture.Reply r = net.get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
