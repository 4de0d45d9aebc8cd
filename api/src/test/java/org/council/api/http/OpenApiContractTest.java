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
        conforms(BASE + "/node", 200);
        conforms(BASE + "/openapi.yaml", 200);

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
