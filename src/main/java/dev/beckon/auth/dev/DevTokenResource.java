package dev.beckon.auth.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.beckon.api.ApiException;
import dev.beckon.api.constraints.UserId;
import dev.beckon.auth.Caller;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * Development only, standing in for the application's backend:
 * {@code GET /dev/token?sub=alice[&name=Alice][&picture=https://…][&server=true]} returns a user (or server) token.
 * It signs with the key pair Quarkus generates in dev mode when no application key is
 * configured, which is also the key Beckon then verifies with. Absent from production builds.
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String token(@QueryParam("sub") String sub, @QueryParam("name") String name,
            @QueryParam("picture") String picture, @QueryParam("server") @DefaultValue("false") boolean server) {
        if (sub == null || !UserId.FORMAT.matcher(sub).matches()) {
            throw ApiException.invalid("'sub' must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -");
        }
        var claims = Jwt.subject(sub).expiresAt(Instant.now().plus(Duration.ofHours(12)));
        if (name != null && !name.isBlank()) {
            claims.claim("name", name);
        }
        if (picture != null && !picture.isBlank()) {
            claims.claim("picture", picture);
        }
        if (server) {
            claims.groups(Set.of(Caller.SERVER_GROUP));
        }
        try {
            return claims.sign();
        } catch (RuntimeException e) {
            throw ApiException.invalid("The dev token helper signs with the key Quarkus generates in dev mode; "
                    + "it is unavailable once mp.jwt.verify.publickey.location is configured.");
        }
    }
}
