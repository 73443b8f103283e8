package dev.beckon.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/** Beckon's public signing keys, for media servers that verify conference access tokens. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    @Inject
    SigningKey key;

    @GET
    @Produces("application/jwk-set+json")
    public Response jwks() {
        return Response.ok(key.jwks()).header("Cache-Control", "public, max-age=300").build();
    }
}
