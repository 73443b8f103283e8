package dev.beckon.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.api.ApiException;
import dev.beckon.api.ErrorCode;
import dev.beckon.auth.Caller;
import dev.beckon.model.CreatedConference;
import dev.beckon.model.InvitationList;
import dev.beckon.support.Api;
import dev.beckon.support.BackingServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A function run by name for a caller authenticated elsewhere answers and fails as over HTTP. */
@QuarkusTest
@WithTestResource(BackingServices.class)
class FunctionInvokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    FunctionInvoker invoker;

    @Test
    void aFunctionRunsByNameAsTheCallerGiven() throws Exception {
        String alice = Api.unique("alice"), bob = Api.unique("bob");
        var created = (CreatedConference) invoker.invoke("createConference", new Caller(alice, null, null, false),
                JSON.readTree("{\"participants\":[{\"userId\":\"" + bob + "\"}]}")).await().atMost(WAIT);
        assertEquals(alice, created.ownerId());
        assertEquals(bob, created.invitations().get(0).to().userId());

        var inbox = (InvitationList) invoker.invoke("listInvitations", new Caller("backend", null, null, true),
                JSON.readTree("{\"direction\":\"incoming\",\"as\":\"" + bob + "\"}")).await().atMost(WAIT);
        assertEquals(created.invitations().get(0).invitationId(), inbox.invitations().get(0).invitationId());
    }

    @Test
    void failuresArriveAsTheContractsErrors() throws Exception {
        Caller carol = new Caller(Api.unique("carol"), null, null, false);
        ApiException invalid = assertThrows(ApiException.class, () -> invoker.invoke("createConference", carol,
                JSON.readTree("{\"settings\":{\"ringTimeoutSeconds\":4}}")).await().atMost(WAIT));
        assertEquals(ErrorCode.INVALID_REQUEST, invalid.code());
        assertTrue(invalid.getMessage().contains("'settings.ringTimeoutSeconds'"), invalid.getMessage());

        ApiException forbidden = assertThrows(ApiException.class, () -> invoker.invoke("listInvitations", carol,
                JSON.readTree("{\"direction\":\"incoming\",\"as\":\"someone-else\"}")).await().atMost(WAIT));
        assertEquals(ErrorCode.FORBIDDEN, forbidden.code());

        ApiException unknown = assertThrows(ApiException.class,
                () -> invoker.invoke("inviteEveryone", carol, JSON.createObjectNode()).await().atMost(WAIT));
        assertEquals(ErrorCode.NOT_FOUND, unknown.code());
    }
}
