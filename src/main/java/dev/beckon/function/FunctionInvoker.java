package dev.beckon.function;

import java.util.Map;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Caller;
import io.smallrye.mutiny.Uni;

/**
 * Runs a function by name for a caller authenticated by whoever delivered the call: the way in
 * for bindings other than {@code POST /<name>} (a CloudEvent names the function and carries the
 * token). The body is the function's JSON body as a tree; it is read and validated exactly as
 * over HTTP, and every failure, a bad body included, arrives as a failed {@link Uni} carrying an
 * {@link ApiException}.
 */
@ApplicationScoped
public class FunctionInvoker {

    private final Map<String, BiFunction<Caller, JsonNode, Uni<?>>> functions;

    public FunctionInvoker(ConferenceFunctions conferences, InvitationFunctions invitations, PresenceFunction presence,
            DeviceFunctions devices) {
        this.functions = Map.ofEntries(
                Map.entry("createConference", conferences::createConference),
                Map.entry("getConference", conferences::getConference),
                Map.entry("leave", conferences::leave),
                Map.entry("invite", invitations::invite),
                Map.entry("respond", invitations::respond),
                Map.entry("cancel", invitations::cancel),
                Map.entry("listInvitations", invitations::listInvitations),
                Map.entry("presence", (caller, body) -> presence.presence(body)),
                Map.entry("registerDevice", devices::registerDevice),
                Map.entry("unregisterDevice", devices::unregisterDevice),
                Map.entry("listDevices", devices::listDevices));
        if (!functions.keySet().equals(java.util.Set.copyOf(FunctionCatalog.NAMES))) {
            throw new IllegalStateException("FunctionInvoker and FunctionCatalog name different functions");
        }
    }

    /** The answer of function {@code name} to {@code body}, as {@code caller}; unknown names are 404. */
    public Uni<Object> invoke(String name, Caller caller, JsonNode body) {
        BiFunction<Caller, JsonNode, Uni<?>> function = functions.get(name);
        if (function == null) {
            return Uni.createFrom().failure(ApiException.notFound("No function named '" + name + "'; the functions are "
                    + String.join(", ", FunctionCatalog.NAMES) + "."));
        }
        return Uni.createFrom().deferred(() -> function.apply(caller, body)).map(answer -> (Object) answer);
    }
}
