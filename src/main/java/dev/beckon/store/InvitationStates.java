package dev.beckon.store;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * A read-only look at one invitation's state, for whoever must stop work when it stops ringing
 * (the push dispatcher before each retry). Reads the invitation and its deadline from its
 * conference's text ({@code <prefix>c:<conferenceId>}, see scripts/lib/conference.lua);
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
        return scripts.send(Request.cmd(Command.GET).arg(key))
                .map(reply -> reply == null ? null : reply.toString())
                .onFailure(e -> e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE"))
                .recoverWithUni(() -> olderLayout(key, invitationId))
                .map(text -> text != null && ringing(field(text, invitationId), field(text, invitationId + ":x"), nowMs));
    }

    /** A conference an older version kept as a hash: the two fields, as records of the text layout. */
    private Uni<String> olderLayout(String key, String invitationId) {
        return scripts.send(Request.cmd(Command.HMGET).arg(key).arg(invitationId).arg(invitationId + ":x")).map(reply -> {
            if (reply == null || reply.size() < 2 || reply.get(0) == null || reply.get(1) == null) {
                return null;
            }
            return "\n" + invitationId + "\t" + reply.get(0) + "\n" + invitationId + ":x\t" + reply.get(1);
        });
    }

    /** One field of a conference's text ("\n<field>\t<value>" records, see scripts/lib/conference.lua). */
    static String field(String text, String name) {
        String marker = "\n" + name + "\t";
        int at = text.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int from = at + marker.length();
        int to = text.indexOf('\n', from);
        return text.substring(from, to < 0 ? text.length() : to);
    }

    private boolean ringing(String invitation, String deadline, long nowMs) {
        if (invitation == null || deadline == null) {
            return false;
        }
        try {
            String state = mapper.readTree(invitation).path("state").asText();
            return ("PENDING".equals(state) || "RINGING".equals(state)) && nowMs < Long.parseLong(deadline);
        } catch (Exception e) {
            return false;
        }
    }
}
