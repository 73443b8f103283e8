package dev.beckon.function;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.api.RequestReader;
import dev.beckon.auth.AccessTokens;
import dev.beckon.auth.Actor;
import dev.beckon.auth.Caller;
import dev.beckon.config.BeckonConfig;
import dev.beckon.model.Conference;
import dev.beckon.model.ConferenceSettings;
import dev.beckon.model.CreatedConference;
import dev.beckon.model.Invitation;
import dev.beckon.model.Permission;
import dev.beckon.ratelimit.InviteRateLimit;
import dev.beckon.store.ConferenceQueries;
import dev.beckon.store.ConferenceStore;
import dev.beckon.store.Invited;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** createConference, getConference and leave. */
public class ConferenceFunctions {

    private final FunctionGuard guard;
    private final RequestReader reader;
    private final ConferenceStore store;
    private final ConferenceQueries queries;
    private final AccessTokens tokens;
    private final InviteRateLimit rateLimit;
    private final BeckonConfig config;

    public ConferenceFunctions(FunctionGuard guard, RequestReader reader, ConferenceStore store, ConferenceQueries queries,
            AccessTokens tokens, InviteRateLimit rateLimit, BeckonConfig config) {
        this.guard = guard;
        this.reader = reader;
        this.store = store;
        this.queries = queries;
        this.tokens = tokens;
        this.rateLimit = rateLimit;
        this.config = config;
    }

    /**
     * Creates a conference owned by the caller (connected from the start) and rings its initial
     * participants. Protected conferences and server tokens get the owner's access token; server
     * tokens also get every invitee's.
     */
    @Funq
    public Uni<CreatedConference> createConference(JsonNode body) {
        return createConference(guard.caller(), body);
    }

    /** {@code createConference} for a caller authenticated elsewhere (the event binding). */
    public Uni<CreatedConference> createConference(Caller caller, JsonNode body) {
        Requests.CreateConference request = reader.read(body, Requests.CreateConference.class);
        Actor owner = caller.actAsUser(request.as());
        ConferenceSettings settings = request.settings((int) config.ringTimeout().toSeconds());
        List<dev.beckon.model.Invitee> participants = request.invitees();
        if (participants.size() > settings.maxInviteesPerRequest()) {
            throw ApiException.tooLarge("At most " + settings.maxInviteesPerRequest()
                    + " participants per request (settings.maxInviteesPerRequest).");
        }
        if (participants.size() > config.maxParticipants()) {
            throw ApiException.tooLarge("A conference holds at most " + config.maxParticipants()
                    + " participants besides its owner (beckon.max-participants).");
        }
        InvitationFunctions.refuseSelfInvite(owner, participants, "participants");
        String conferenceId = store.newConferenceId(owner.userId(), participants);
        var conference = new ConferenceStore.NewConference(conferenceId,
                request.alias() != null ? request.alias() : conferenceId, owner.userId(), request.callTypeName(),
                request.protectedConference(), request.message(), request.roomUrl(), settings);
        return rateLimit.charge(owner, participants.size(), bucket -> store.create(conference, owner, participants, bucket),
                InvitationFunctions::rang)
                .map(invited -> created(invited, owner));
    }

    @Funq
    public Uni<Conference> getConference(JsonNode body) {
        return getConference(guard.caller(), body);
    }

    /** {@code getConference} for a caller authenticated elsewhere (the event binding). */
    public Uni<Conference> getConference(Caller caller, JsonNode body) {
        Requests.ConferenceRef request = reader.read(body, Requests.ConferenceRef.class);
        Actor actor = caller.actAs(request.as());
        return queries.conference(request.conferenceId(), actor);
    }

    /** The caller hangs up; the last connected participant to leave ends the conference. */
    @Funq
    public Uni<Conference> leave(JsonNode body) {
        return leave(guard.caller(), body);
    }

    /** {@code leave} for a caller authenticated elsewhere (the event binding). */
    public Uni<Conference> leave(Caller caller, JsonNode body) {
        Requests.ConferenceRef request = reader.read(body, Requests.ConferenceRef.class);
        Actor actor = caller.actAsUser(request.as());
        return store.leave(request.conferenceId(), actor);
    }

    private CreatedConference created(Invited invited, Actor owner) {
        Conference c = invited.conference();
        if (invited.glare()) {
            return glare(invited, owner);
        }
        boolean issueTokens = c.isProtected() || owner.server();
        String ownerToken = issueTokens ? tokens.issue(owner.userId(), c.conferenceId(), Permission.NAMES) : null;
        Map<String, String> usersTokens = new LinkedHashMap<>();
        List<Invitation> invitations = invited.items().stream().map(item -> {
            if (!owner.server()) {
                return item.invitation();
            }
            String token = tokens.issue(item.invitation().to().userId(), c.conferenceId(), item.permissions());
            usersTokens.put(item.invitation().to().userId(), token);
            return item.invitation().withAccessToken(token);
        }).toList();
        return new CreatedConference(c.conferenceId(), c.alias(), c.ownerId(), c.callType(), c.isProtected(),
                c.message(), c.roomUrl(), c.settings(), c.createdAt(), c.expiresAt(), ownerToken, usersTokens, invitations,
                false);
    }

    /**
     * Glare: the caller accepted the other person's call to them instead of starting one. The
     * caller's token, where an accept would carry one, is given as ownerToken (the caller's own),
     * under their id in usersTokens and on the accepted invitation, as respond gives it.
     */
    private CreatedConference glare(Invited invited, Actor caller) {
        Conference c = invited.conference();
        Invited.Item item = invited.items().get(0);
        Invitation invitation = item.invitation();
        Map<String, String> usersTokens = new LinkedHashMap<>();
        String token = null;
        if (c.isProtected() || caller.server()) {
            token = tokens.issue(caller.userId(), c.conferenceId(), item.permissions());
            usersTokens.put(caller.userId(), token);
            invitation = invitation.withAccessToken(token);
        }
        return new CreatedConference(c.conferenceId(), c.alias(), c.ownerId(), c.callType(), c.isProtected(),
                c.message(), c.roomUrl(), c.settings(), c.createdAt(), c.expiresAt(), token, usersTokens,
                List.of(invitation), true);
    }
}
