package org.council.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.council.ledger.store.LedgerException;

/**
 * Turns every failure on the router into {@code {"error":{"code","message"}}} with the status of
 * its {@link ErrorCode}. Client-caused failures keep their message; anything unexpected becomes
 * INTERNAL with a fixed message (the cause is logged, never sent). Thread-safe.
 */
final class ErrorResponder {

    static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final System.Logger LOG = System.getLogger(ErrorResponder.class.getName());

    private final ObjectMapper mapper = new ObjectMapper();

    /** Answers every failure and unmatched route of {@code r} with a JSON error. */
    static void install(io.vertx.ext.web.Router r) {
        ErrorResponder errors = new ErrorResponder();
        r.route().failureHandler(errors::handle);
        for (int status : new int[] {400, 401, 404, 405, 413, 415, 500}) {
            r.errorHandler(status, errors::handle);
        }
    }

    void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        ErrorCode code;
        String message;
        if (t instanceof ApiException) {
            code = ((ApiException) t).code();
            message = t.getMessage();
        } else if (t instanceof LedgerException) {
            LOG.log(System.Logger.Level.WARNING, "ledger read failed: " + ctx.request().path(), t);
            code = ErrorCode.UNAVAILABLE;
            message = "the ledger is unavailable";
        } else if (t instanceof HttpException && ((HttpException) t).getStatusCode() < 500) {
            code = ErrorCode.forStatus(((HttpException) t).getStatusCode());
            message = defaultMessage(code);
        } else if (t == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            code = ErrorCode.forStatus(ctx.statusCode());
            message = defaultMessage(code);
        } else {
            if (t != null) {
                LOG.log(System.Logger.Level.ERROR, "API request failed: " + ctx.request().path(), t);
            }
            code = ErrorCode.INTERNAL;
            message = defaultMessage(code);
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response()
                .setStatusCode(code.httpStatus())
                .putHeader("content-type", JSON_TYPE)
                .end(body(code, message));
    }

    private String body(ErrorCode code, String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("error").put("code", code.name()).put("message", message);
        try {
            return mapper.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"internal error\"}}";
        }
    }

    private static String defaultMessage(ErrorCode code) {
        switch (code) {
            case NOT_FOUND:
                return "no such resource";
            case METHOD_NOT_ALLOWED:
                return "this route does not take that HTTP method";
            case UNAUTHORIZED:
                return "this endpoint acts for the node: send `Authorization: Bearer <token>` (the token is in the data dir's api.token)";
            case PAYLOAD_TOO_LARGE:
                return "request body too large";
            case UNSUPPORTED_MEDIA_TYPE:
                return "send the request body as application/json";
            case BAD_REQUEST:
                return "malformed request";
            case UNAVAILABLE:
                return "the ledger is unavailable";
            default:
                return "internal error";
        }
    }
}
