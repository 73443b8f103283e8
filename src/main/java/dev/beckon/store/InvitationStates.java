package dev.beckon.store;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A read-only look at one invitation's state, for whoever must stop work when it stops ringing
 * (the push dispatcher before each retry). Reads the invitation and its deadline from its
 * conference's hash ({@code <prefix>c:<conferenceId>}, see scripts/lib/conference.lua);
 * changes nothing.
 */
@ApplicationScoped
public class InvitationStates {

    private final RedisScripts scripts;
    private final ObjectMapper mapper;

    InvitationStates(RedisScripts scripts, ObjectMapper mapper) {
        this.scripts = scripts;
        this.mapper = mapper;
    }

    /**
     * Whether the invitation still rings: PENDING or RINGING, and its deadline not passed by
     * {@code nowMs}. An unknown or malformed id does not ring.
     */
    public Uni<Boolean> ringing(String invitationId, long nowMs) {
        String conferenceId = Shards.conferenceOfInvitation(invitationId);
        if (conferenceId == null) {
            return Uni.createFrom().item(false);
        }
        String key = Shards.prefix(Shards.ofConference(conferenceId)) + "c:" + conferenceId;
        return scripts.send(Request.cmd(Command.HMGET).arg(key).arg(invitationId).arg(invitationId + ":x")).map(reply -> {
            if (reply == null || reply.size() < 2 || reply.get(0) == null || reply.get(1) == null) {
                return false;
            }
            try {
                JsonNode invitation = mapper.readTree(reply.get(0).toString());
                String state = invitation.path("state").asText();
                return ("PENDING".equals(state) || "RINGING".equals(state)) && nowMs < Long.parseLong(reply.get(1).toString());
            } catch (Exception e) {
                return false;
            }
        });
    }
}
