package dev.beckon.api;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Gives the REST endpoints (events, JWKS, dev tokens) the same error JSON as the functions,
 * including the failures RESTEasy raises itself before a resource method runs: content
 * negotiation (406 for an Accept header it cannot serve, 415 for a body type it cannot read) and
 * the rest of its {@link WebApplicationException}s, which would otherwise go out without a body.
 */
public class ApiExceptionMapper {

    @ServerExceptionMapper
    public Response map(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.code().status)
                .type("application/json")
                .entity(e.body());
        if (e.retryAfterSeconds() != null) {
            builder.header("Retry-After", e.retryAfterSeconds());
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response map(NotAcceptableException e) {
        return map(new ApiException(ErrorCode.NOT_ACCEPTABLE,
                "The Accept header names no media type this endpoint produces; send 'Accept: application/json' or '*/*'."));
    }

    @ServerExceptionMapper
    public Response map(NotSupportedException e) {
        return map(new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "This endpoint does not read a body of that Content-Type."));
    }

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        Response original = e.getResponse();
        if (original != null && original.hasEntity()) {
            return original;
        }
        int status = original == null ? 500 : original.getStatus();
        if (status == 405) {
            // keep the methods the resource does answer, when RESTEasy names them
            String allow = original.getHeaderString("Allow");
            Response answer = map(new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                    "This endpoint does not answer that method" + (allow == null ? "." : "; it answers " + allow + ".")));
            return allow == null ? answer : Response.fromResponse(answer).header("Allow", allow).build();
        }
        return map(ErrorResponder.toApiException(null, status));
    }
}
