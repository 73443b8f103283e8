package dev.beckon.function;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * The part of /q/openapi that annotations cannot say: Funqy's routes are not scanned, so each
 * function's {@code POST /<name>} is written here from {@link FunctionCatalog}, referring to the
 * request and answer schemas that SmallRye OpenAPI generates from the records and their
 * constraint annotations. Also the document's description, the bearer scheme and the error responses.
 */
public class FunctionsDocument implements OASModelReader {

    private static final Map<Integer, String[]> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put(400, new String[] { "InvalidRequest",
                "invalid_request: malformed JSON, wrong Content-Type, a missing, unknown or invalid field (the message names it)" });
        ERRORS.put(401, new String[] { "Unauthenticated", "unauthenticated: no, malformed, expired or badly signed token" });
        ERRORS.put(403, new String[] { "Forbidden", "forbidden: authenticated but not allowed" });
        ERRORS.put(404, new String[] { "NotFound", "not_found: no such conference, invitation or device" });
        ERRORS.put(409, new String[] { "Conflict", "conflict: the state does not allow it; state carries the current state" });
        ERRORS.put(413, new String[] { "TooLarge", "too_large: body over 64 KiB or too many entries (invitees, user ids)" });
        ERRORS.put(429, new String[] { "RateLimited", "rate_limited: the user's invitation rate is exceeded; see Retry-After" });
        ERRORS.put(503, new String[] { "Unavailable", "unavailable: Redis is unreachable; retrying is safe" });
    }

    @Override
    public OpenAPI buildModel() {
        var components = OASFactory.createComponents()
                .addSecurityScheme("bearer", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT")
                        .description("A user token signed by the application's backend (sub = user id), or a server token"
                                + " (groups contains beckon-server)."));
        ERRORS.forEach((status, error) -> components.addResponse(error[0], OASFactory.createAPIResponse().description(error[1])
                .content(json(schemaName(dev.beckon.api.ApiError.class)))));
        var paths = OASFactory.createPaths();
        for (FunctionCatalog.Entry function : FunctionCatalog.ALL) {
            paths.addPathItem("/" + function.name(), OASFactory.createPathItem().POST(operation(function)));
        }
        return OASFactory.createOpenAPI()
                .openapi("3.1.0")
                .info(OASFactory.createInfo().title("Beckon").version("1").description(
                        "Call and conference invitations: ring users into a call, deliver the ringing to every device,"
                                + " accept or decline, cancel, expire unanswered calls as missed calls, and hand out conference"
                                + " access tokens. Every function is `POST /{function}` (for example `POST /createConference`)"
                                + " with a JSON body and a bearer token. Events are served as Server-Sent Events at `GET /events`"
                                + " and POSTed to a webhook."))
                .addTag(OASFactory.createTag().name("Functions"))
                .addTag(OASFactory.createTag().name("Events"))
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"))
                .components(components)
                .paths(paths);
    }

    private static Operation operation(FunctionCatalog.Entry function) {
        APIResponses responses = OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("The answer")
                        .content(json(schemaName(function.answer()))));
        for (int status : function.errors()) {
            responses.addAPIResponse(Integer.toString(status),
                    OASFactory.createAPIResponse().ref("#/components/responses/" + ERRORS.get(status)[0]));
        }
        return OASFactory.createOperation()
                .operationId(function.name())
                .addTag("Functions")
                .summary(function.summary())
                .description(function.description())
                .requestBody(OASFactory.createRequestBody().required(true).content(json(schemaName(function.request()))))
                .responses(responses);
    }

    private static org.eclipse.microprofile.openapi.models.media.Content json(String schema) {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/" + schema)));
    }

    /** The component name a record is generated under: its {@code @Schema(name)}. */
    static String schemaName(Class<?> type) {
        Schema schema = type.getAnnotation(Schema.class);
        if (schema == null || schema.name().isEmpty()) {
            throw new IllegalStateException(type + " needs @Schema(name = ...) to be referred to from the document");
        }
        return schema.name();
    }
}
