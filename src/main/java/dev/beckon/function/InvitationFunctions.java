package dev.beckon.function;

import java.util.List;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.api.ApiException;
import dev.beckon.auth.AccessTokens;
import dev.beckon.auth.Actor;
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

    @Inject
    FunctionGuard guard;

    @Inject
    ConferenceStore store;

    @Inject
    ConferenceQueries queries;

    @Inject
    AccessTokens tokens;

    @Inject
    InviteRateLimit rateLimit;

    /**
     * Rings more people into a conference. Someone already ringing gets their current
     * invitation back (no second ring); someone whose last invitation ended is rung anew.
     */
    @Funq
    public Uni<InvitationList> invite(JsonNode body) {
        Requests.Invite request = Requests.Invite.parse(body);
        Actor actor = guard.caller().actAsUser(request.as());
        refuseSelfInvite(actor, request.invitees(), "invitees");
        return rateLimit.charge(actor, request.invitees().size(),
                () -> store.invite(request.conferenceId(), actor, request.invitees(), request.message(),
                        request.ringTimeoutSeconds()),
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
        Requests.Respond request = Requests.Respond.parse(body);
        Actor actor = guard.caller().actAsUser(request.as());
        return store.respond(request.invitationId(), actor, request.action(), request.reason(), request.message())
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
        Requests.Cancel request = Requests.Cancel.parse(body);
        Actor actor = guard.caller().actAs(request.as());
        return store.cancel(request.invitationId(), actor);
    }

    /** The caller's inbox (incoming) or calls made (outgoing), newest first. */
    @Funq
    public Uni<InvitationList> listInvitations(JsonNode body) {
        Requests.ListInvitations request = Requests.ListInvitations.parse(body);
        Actor actor = guard.caller().actAsUser(request.as());
        return queries.invitations(actor.userId(), request.direction(), request.pendingOnly(), request.limit())
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
