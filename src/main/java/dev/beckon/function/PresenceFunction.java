package dev.beckon.function;

import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.gateway.Presence;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** presence: who is online (has an open event stream on any gateway) and on how many devices. */
public class PresenceFunction {

    @Inject
    Presence presence;

    @RegisterForReflection
    public record Answer(Map<String, Presence.State> presence) {
    }

    @Funq
    public Uni<Answer> presence(JsonNode body) {
        Requests.Presence request = Requests.Presence.parse(body);
        return presence.of(request.userIds()).map(Answer::new);
    }
}
