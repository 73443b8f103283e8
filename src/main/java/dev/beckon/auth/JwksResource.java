package dev.beckon.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Beckon's public signing keys, for media servers that verify conference access tokens. Served as
 * {@code application/jwk-set+json}, or as {@code application/json} to a client that asks for that
 * (most JWKS fetchers and HTTP libraries do).
 */
@Path("/.well-known/jwks.json")
public class JwksResource {

    static final String JWK_SET = "application/jwk-set+json";

    @Inject
    SigningKey key;

    @GET
    @Produces({ JWK_SET, MediaType.APPLICATION_JSON })
    public Response jwks(HttpHeaders headers) {
        return Response.ok(key.jwks()).type(preferred(headers))
                .header("Cache-Control", "public, max-age=300").build();
    }

    /** The first of the client's acceptable types, best first, that names one of ours; a wildcard gets the JWK set type. */
    private static String preferred(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isWildcardType() || accepted.isWildcardSubtype() || JWK_SET.equalsIgnoreCase(accepted.getType() + "/" + accepted.getSubtype())) {
                return JWK_SET;
            }
            if (MediaType.APPLICATION_JSON_TYPE.isCompatible(accepted)) {
                return MediaType.APPLICATION_JSON;
            }
        }
        return JWK_SET;
    }
}
