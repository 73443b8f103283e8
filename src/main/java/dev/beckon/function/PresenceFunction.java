package dev.beckon.function;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.RequestReader;
import dev.beckon.store.Presence;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/** presence: who is online (has an open event stream on any gateway) and on how many devices. */
public class PresenceFunction {

    private final RequestReader reader;
    private final Presence presence;

    public PresenceFunction(RequestReader reader, Presence presence) {
        this.reader = reader;
        this.presence = presence;
    }

    @RegisterForReflection
    @Schema(name = "PresenceAnswer")
    public record Answer(@Schema(description = "by user id") Map<String, Presence.State> presence) {
    }

    /** Any authenticated caller may ask. */
    @Funq
    public Uni<Answer> presence(JsonNode body) {
        Requests.Presence request = reader.read(body, Requests.Presence.class);
        return presence.of(request.distinctUserIds()).map(Answer::new);
    }
}
