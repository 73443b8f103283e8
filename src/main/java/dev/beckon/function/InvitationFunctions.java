package dev.beckon.function;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.api.RequestReader;
import dev.beckon.auth.AccessTokens;
import dev.beckon.auth.Actor;
import dev.beckon.auth.Caller;
import dev.beckon.model.Invitation;
import dev.beckon.model.InvitationList;
import dev.beckon.model.Invitee;
import dev.beckon.ratelimit.InviteRateLimit;
import dev.beckon.store.ConferenceQueries;
import dev.beckon.store.ConferenceStore;
import dev.beckon.store.Invited;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** invite, respond, cancel and listInvitations. */
public class InvitationFunctions {

    private final FunctionGuard guard;
    private final RequestReader reader;
    private final ConferenceStore store;
    private final ConferenceQueries queries;
    private final AccessTokens tokens;
    private final InviteRateLimit rateLimit;

    public InvitationFunctions(FunctionGuard guard, RequestReader reader, ConferenceStore store, ConferenceQueries queries,
            AccessTokens tokens, InviteRateLimit rateLimit) {
        this.guard = guard;
        this.reader = reader;
        this.store = store;
        this.queries = queries;
        this.tokens = tokens;
        this.rateLimit = rateLimit;
    }

    /**
     * Rings more people into a conference. Someone already ringing gets their current
     * invitation back (no second ring); someone whose last invitation ended is rung anew.
     */
    @Funq
    public Uni<InvitationList> invite(JsonNode body) {
        return invite(guard.caller(), body);
    }

    /** {@code invite} for a caller authenticated elsewhere (the event binding). */
    public Uni<InvitationList> invite(Caller caller, JsonNode body) {
        Requests.Invite request = reader.read(body, Requests.Invite.class);
        Actor actor = caller.actAsUser(request.as());
        List<Invitee> invitees = request.inviteeList();
        refuseSelfInvite(actor, invitees, "invitees");
        return rateLimit.charge(actor, invitees.size(),
                bucket -> store.invite(request.conferenceId(), actor, invitees, request.message(),
                        request.ringTimeoutSeconds(), bucket),
                InvitationFunctions::rang)
                .map(invited -> new InvitationList(invited.items().stream()
                        .map(item -> actor.server()
                                ? item.invitation().withAccessToken(tokens.issue(item.invitation().to().userId(),
                                        item.invitation().conferenceId(), item.permissions()))
                                : item.invitation())
                        .toList()));
    }

    /** The invitee accepts (and gets their access token) or declines with a reason. */
    @Funq
    public Uni<Invitation> respond(JsonNode body) {
        return respond(guard.caller(), body);
    }

    /** {@code respond} for a caller authenticated elsewhere (the event binding). */
    public Uni<Invitation> respond(Caller caller, JsonNode body) {
        Requests.Respond request = reader.read(body, Requests.Respond.class);
        Actor actor = caller.actAsUser(request.as());
        return store.respond(request.invitationId(), actor, request.action().name(), request.reasonName(), request.message())
                .map(responded -> {
                    Invitation invitation = responded.invitation();
                    if (invitation.state().equals("ACCEPTED") && (responded.isProtected() || actor.server())) {
                        return invitation.withAccessToken(tokens.issue(invitation.to().userId(),
                                invitation.conferenceId(), responded.permissions()));
                    }
                    return invitation;
                });
    }

    /** The inviter, the owner or a server token withdraws a ringing invitation. */
    @Funq
    public Uni<Invitation> cancel(JsonNode body) {
        return cancel(guard.caller(), body);
    }

    /** {@code cancel} for a caller authenticated elsewhere (the event binding). */
    public Uni<Invitation> cancel(Caller caller, JsonNode body) {
        Requests.Cancel request = reader.read(body, Requests.Cancel.class);
        Actor actor = caller.actAs(request.as());
        return store.cancel(request.invitationId(), actor);
    }

    /** The caller's inbox (incoming) or calls made (outgoing), newest first. */
    @Funq
    public Uni<InvitationList> listInvitations(JsonNode body) {
        return listInvitations(guard.caller(), body);
    }

    /** {@code listInvitations} for a caller authenticated elsewhere (the event binding). */
    public Uni<InvitationList> listInvitations(Caller caller, JsonNode body) {
        Requests.ListInvitations request = reader.read(body, Requests.ListInvitations.class);
        Actor actor = caller.actAsUser(request.as());
        return queries.invitations(actor.userId(), request.direction().name(), request.pendingOnlyOrDefault(),
                request.limitOrDefault())
                .map(InvitationList::new);
    }

    /**
     * How many people a create or invite rang: those already ringing, handed back, did not ring
     * again, and a busy invitee declined at once (busyPolicy reject) was not rung.
     */
    static int rang(Invited invited) {
        return (int) invited.items().stream()
                .filter(item -> !item.existing() && !"DECLINED".equals(item.invitation().state())).count();
    }

    static void refuseSelfInvite(Actor actor, List<Invitee> invitees, String field) {
        for (int i = 0; i < invitees.size(); i++) {
            if (invitees.get(i).userId().equals(actor.userId())) {
                throw ApiException.invalid("'" + field + "[" + i + "].userId' is the caller: you cannot invite yourself.");
            }
        }
    }
}
