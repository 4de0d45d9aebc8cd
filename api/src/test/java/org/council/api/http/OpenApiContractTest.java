package org.council.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.council.crypto.NodeKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every live response of the audit API, success and client error, conforms to the OpenAPI document
 * the API itself serves at {@code /api/v1/openapi.yaml}, checked by vertx-openapi's
 * {@link ResponseValidator} against the operation the path resolves to.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {

    private static final String BASE = AuditApi.BASE;

    private ApiFixture net;
    private OpenAPIContract contract;
    private ResponseValidator validator;
    private final Set<String> covered = new TreeSet<>();

    @BeforeEach
    void setUp(Vertx vertx, @TempDir Path dir) throws Exception {
        net = new ApiFixture(vertx, dir, null);
        ApiFixture.Reply spec = net.get(BASE + "/openapi.yaml");
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.contentType()).isEqualTo(AuditApi.YAML_TYPE);
        try (InputStream in = AuditApi.class.getResourceAsStream(AuditApi.OPENAPI_RESOURCE)) {
            assertThat(spec.raw()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        ObjectNode document = (ObjectNode) new YAMLMapper().readTree(spec.raw());
        assertThat(document.get("openapi").asText()).isEqualTo("3.0.3");
        // vertx-openapi validates JSON-like bodies only and refuses a contract naming another
        // media type, so the document's own YAML response is checked above and left out here.
        ObjectNode specResponse = (ObjectNode) document.at("/paths/~1openapi.yaml/get/responses/200");
        assertThat(specResponse.get("content").has(AuditApi.YAML_TYPE)).isTrue();
        specResponse.remove("content");
        // likewise the council's event stream: each event's data is validated against its schema instead
        ObjectNode councilContent = (ObjectNode) document.at("/paths/~1council/post/responses/200/content");
        assertThat(councilContent.has(ActionApi.SSE_TYPE)).isTrue();
        councilContent.remove(ActionApi.SSE_TYPE);
        contract = OpenAPIContract.from(vertx, new JsonObject(document.toString())).await(10, TimeUnit.SECONDS);
        validator = ResponseValidator.create(vertx, contract);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    @Test
    void everySuccessfulResponseConformsToTheDocument() {
        conforms(BASE + "/feeds", 200);
        List<String> eventIds = new ArrayList<>();
        for (JsonNode feed : conforms(BASE + "/feeds", 200).get("feeds")) {
            String author = feed.get("author").asText();
            for (JsonNode e : conforms(BASE + "/feeds/" + author + "/events", 200).get("events")) {
                eventIds.add(e.get("id").asText());
            }
            conforms(BASE + "/feeds/" + author + "/events?from=2&limit=1", 200);
            conforms(BASE + "/feeds/" + author + "/events?from=999&limit=1000", 200);
            conforms(BASE + "/accounts/" + author, 200);
        }
        assertThat(eventIds).hasSizeGreaterThan(ApiFixture.PROPOSALS + ApiFixture.ACKS);
        for (String id : eventIds) {
            conforms(BASE + "/events/" + id, 200);
        }
        assertThat(conforms(BASE + "/reputation", 200).get("ranking")).isNotEmpty();
        assertThat(conforms(BASE + "/equivocations", 200).get("equivocations")).hasSize(1);
        assertThat(conforms(BASE + "/node", 200).get("ollama").asText()).startsWith("http://");
        assertThat(conforms(BASE + "/node", 200).get("network").get("reachability").asText()).isEqualTo("PRIVATE");
        conforms(BASE + "/openapi.yaml", 200);
        assertThat(conforms(BASE + "/accounts", 200).get("accounts")).hasSize(2);
        assertThat(conforms(BASE + "/peers", 200).get("peers")).hasSize(2);
        assertThat(conforms(BASE + "/queue", 200).get("backends")).hasSize(1);
        assertThat(conforms(BASE + "/capabilities", 200).get("capabilities")).hasSize(1);
        assertThat(conforms(BASE + "/councils?limit=5", 200).get("councils")).hasSize(1);
        conforms(BASE + "/claims/refused?limit=5", 200);
        JsonNode report = conforms(BASE + "/verification", 200);
        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("events").asLong()).isGreaterThan(ApiFixture.PROPOSALS + ApiFixture.ACKS);
        JsonNode result = posted(BASE + "/council", "{\"question\":\"What is 6 x 7?\"}", 200);
        assertThat(result.get("answer").asText()).isEqualTo("42");
        assertThat(posted(BASE + "/peers", "{\"address\":\"127.0.0.1:7400\"}", 202).get("status").asText())
                .isEqualTo("dialing");
        assertThat(net.actions.dialled).containsExactly("127.0.0.1:7400");

        Set<String> all = contract.operations().stream().map(Operation::getOperationId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).as("every operation was called").isEqualTo(all);
    }

    @Test
    void everyClientErrorConformsToTheDocument() {
        String a = net.a.id().hex();
        String unknown = NodeKeyPair.generate().id().hex();
        for (String path : List.of("/feeds/zz/events", "/feeds/" + a.toUpperCase() + "/events",
                "/feeds/" + a + "/events?from=0", "/feeds/" + a + "/events?from=abc",
                "/feeds/" + a + "/events?limit=0", "/feeds/" + a + "/events?limit=1001",
                "/feeds/" + a + "/events?limit=1&limit=2", "/events/xyz", "/events/" + "0".repeat(63),
                "/accounts/123")) {
            conforms(BASE + path, 400);
        }
        for (String path : List.of("/feeds/" + unknown + "/events", "/events/" + "ab".repeat(32),
                "/accounts/" + unknown)) {
            conforms(BASE + path, 404);
        }
        // no operation matches these: their bodies must still be the documented Error
        isError(net.get(BASE + "/nope"), 404);
        isError(net.get(BASE + "/feeds/" + a), 404);
        isError(net.get("/nope"), 404);
        isError(net.call(HttpMethod.POST, BASE + "/feeds"), 405);
        isError(net.call(HttpMethod.DELETE, BASE + "/events/" + "ab".repeat(32)), 405);
    }

    @Test
    void theValidatorRejectsABodyThatBreaksTheDocument() {
        String author = net.a.id().hex();
        String id = "ab".repeat(32);
        JsonObject good = new JsonObject().put("feeds", List.of(
                new JsonObject().put("author", author).put("head_seq", 3).put("head_id", id)));
        validate("listFeeds", 200, good.encode());

        rejected("listFeeds", 200, "{\"feeds\":[{\"author\":\"" + author + "\",\"head_id\":\"" + id + "\"}]}");
        rejected("listFeeds", 200, good.copy().put("extra", 1).encode());
        rejected("listFeeds", 200, "{\"feeds\":[{\"author\":\"" + author.toUpperCase() + "\",\"head_seq\":3,"
                + "\"head_id\":\"" + id + "\"}]}");
        rejected("getNode", 200, "{\"id\":\"" + author + "\",\"version\":\"x\",\"peers\":-1}");
        rejected("getEvent", 404, "{\"error\":{\"code\":\"NO_SUCH_CODE\",\"message\":\"m\"}}");

        JsonObject event = new JsonObject(net.get(BASE + "/feeds/" + author + "/events?from=2&limit=1").raw())
                .getJsonArray("events").getJsonObject(0);
        validate("getEvent", 200, event.encode());
        rejected("getEvent", 200, event.copy().put("prev", "xyz").encode());
        rejected("getEvent", 200, event.copy().put("kind", "service_invented").encode());
        rejected("getEvent", 200, event.copy().put("signature", "ab").encode());
        rejected("getEvent", 200, event.copy().put("payload", "not base64!").encode());
        rejected("getEvent", 200, event.copy().put("body", event.getJsonObject("body").copy().put("x", 1)).encode());
    }

    @Test
    void theCouncilStreamSendsDocumentedEvents() {
        ApiFixture.Reply r = net.call(HttpMethod.POST, BASE + "/council", "{\"question\":\"q\",\"stream\":true}",
                java.util.Map.of("authorization", "Bearer " + net.token.hex(), "content-type", "application/json"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo(ActionApi.SSE_TYPE);
        List<String> names = new ArrayList<>();
        for (String block : r.raw().split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name == null) {
                continue;
            }
            names.add(name);
            schemaValid(name.equals("result") ? "CouncilResult" : name.equals("error") ? "Error" : "CouncilProgress",
                    data);
        }
        assertThat(names).containsExactly("stage_started", "member_replied", "stage_ended", "result");
        // the same stream when asked by Accept header instead of the body
        ApiFixture.Reply byHeader = net.call(HttpMethod.POST, BASE + "/council", "{\"question\":\"q\"}",
                java.util.Map.of("authorization", "Bearer " + net.token.hex(), "content-type", "application/json",
                        "accept", "text/event-stream"));
        assertThat(byHeader.raw()).contains("event: result");
    }

    @Test
    void actingRoutesRefuseMissingOrWrongTokensAndBadBodies() {
        String wrong = org.council.crypto.ApiToken.generate().hex();
        for (String path : List.of("/council", "/peers")) {
            for (java.util.Map<String, String> headers : List.of(java.util.Map.<String, String>of(),
                    java.util.Map.of("authorization", "Bearer " + wrong),
                    java.util.Map.of("authorization", "Basic " + net.token.hex()),
                    java.util.Map.of("authorization", net.token.hex()))) {
                ApiFixture.Reply r = net.call(HttpMethod.POST, BASE + path, "{\"question\":\"q\",\"address\":\"h:1\"}",
                        headers);
                assertThat(r.status()).as(path + " " + headers).isEqualTo(401);
                validate(path.equals("/council") ? "askCouncil" : "addPeer", 401, r.raw(), r.contentType(), path);
                assertThat(r.json().at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
            }
        }
        assertThat(net.actions.asked).isEmpty();
        assertThat(net.actions.dialled).isEmpty();
        for (String body : List.of("", "not json", "[1]", "{}", "{\"question\":\"\"}", "{\"question\":7}",
                "{\"question\":\"q\",\"members\":0}", "{\"question\":\"q\",\"members\":\"3\"}",
                "{\"question\":\"q\",\"members\":2.5}", "{\"question\":\"q\",\"models\":\"x\"}",
                "{\"question\":\"q\",\"models\":[1]}", "{\"question\":\"q\",\"timeout_seconds\":0}",
                "{\"question\":\"q\",\"stream\":\"yes\"}", "{\"question\":\"" + "x".repeat(40_000) + "\"}")) {
            posted(BASE + "/council", body, 400);
        }
        for (String body : List.of("{}", "{\"address\":5}", "{\"address\":\"nocolon\"}")) {
            posted(BASE + "/peers", body, 400);
        }
        posted(BASE + "/council", "{\"question\":\"nobody home\"}", 503);
        posted(BASE + "/council", "{\"question\":\"" + "x".repeat(70_000) + "\"}", 413);
        ApiFixture.Reply form = net.call(HttpMethod.POST, BASE + "/council", "question=q",
                java.util.Map.of("authorization", "Bearer " + net.token.hex(), "content-type",
                        "application/x-www-form-urlencoded"));
        assertThat(form.status()).isEqualTo(415);
        validate("askCouncil", 415, form.raw(), form.contentType(), "form body");
        assertThat(net.actions.asked).extracting(org.council.api.CouncilAsk::question).containsExactly("nobody home");
    }

    @Test
    void metricsAndDashboardAreServedAtTheRoot() {
        ApiFixture.Reply metrics = net.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.raw()).contains("council_test_total 1.0");
        ApiFixture.Reply root = net.get("/"); // the client follows the redirect to /dashboard/
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.contentType()).startsWith("text/html");
        ApiFixture.Reply page = net.get("/dashboard/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        isError(net.get("/dashboard/../../openapi.yaml"), 404);
        isError(net.get("/dashboard/nope.js"), 404);
    }

    private void schemaValid(String schema, String json) {
        OutputUnit out = contract.getSchemaRepository()
                .validator("app:///#/components/schemas/" + schema)
                .validate(new JsonObject(json));
        assertThat(out.getValid()).as(schema + ": " + json + " " + out.getErrors()).isTrue();
    }

    /** POSTs a JSON body with the token, checks the status and validates the answer against the document. */
    private JsonNode posted(String path, String body, int status) {
        ApiFixture.Reply r = net.post(path, body);
        assertThat(r.status()).as(path + " " + body.substring(0, Math.min(80, body.length()))).isEqualTo(status);
        Operation op = contract.findOperation(path, HttpMethod.POST);
        assertThat(op).as("an operation for POST " + path).isNotNull();
        validate(op.getOperationId(), r.status(), r.raw(), r.contentType(), "POST " + path);
        if (status < 300) {
            covered.add(op.getOperationId());
        }
        return r.json();
    }

    /** GETs {@code path}, checks its status and validates it against the operation the path resolves to. */
    private JsonNode conforms(String path, int status) {
        ApiFixture.Reply r = net.get(path);
        assertThat(r.status()).as(path).isEqualTo(status);
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        Operation op = contract.findOperation(bare, HttpMethod.GET);
        assertThat(op).as("an operation for " + bare).isNotNull();
        validate(op.getOperationId(), r.status(), r.raw(), r.contentType(), path);
        if (status == 200) {
            covered.add(op.getOperationId());
        }
        return r.json();
    }

    private void isError(ApiFixture.Reply r, int status) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        OutputUnit out = contract.getSchemaRepository()
                .validator(contract.operation("getEvent").getResponse(404).getContent().get(ErrorResponder.JSON_TYPE)
                        .getSchema())
                .validate(new JsonObject(r.raw()));
        assertThat(out.getValid()).as(r.raw() + " " + out.getErrors()).isTrue();
    }

    private void validate(String operationId, int status, String body) {
        validate(operationId, status, body, ErrorResponder.JSON_TYPE, operationId);
    }

    private void validate(String operationId, int status, String body, String contentType, String what) {
        ValidatableResponse response = ValidatableResponse.create(status, Buffer.buffer(body), contentType);
        try {
            validator.validate(response, operationId).await(10, TimeUnit.SECONDS);
        } catch (SchemaValidationException e) {
            throw new AssertionError(what + " breaks the document: " + e.getMessage()
                    + " " + e.getOutputUnit() + "\n" + body, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("validation did not finish: " + what, e);
        }
    }

    private void rejected(String operationId, int status, String body) {
        assertThatThrownBy(() -> validate(operationId, status, body))
                .as(body)
                .isInstanceOf(AssertionError.class)
                .hasCauseInstanceOf(SchemaValidationException.class);
    }
}
