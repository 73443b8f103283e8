package dev.beckon.bench;

import io.vertx.core.Future;

/**
 * A system under load, seen as the load generator drives it: users listen on event streams, a
 * caller rings a callee, the callee accepts. Beckon does the whole state machine; Nchan only
 * relays the two messages.
 */
interface Target {

    String name();

    /** The path a user's event stream is read from, and the headers to send. */
    String streamPath(String userId);

    String streamAuthorization(String userId);

    /** Starts a call from {@code caller} to {@code callee}; completes with the invitation id. */
    Future<String> invite(String caller, String callee, String invitationIdHint);

    /** {@code callee} accepts {@code invitationId}, which {@code caller} placed. */
    Future<Void> accept(String caller, String callee, String invitationId);

    /** The event type at the callee that means "it rings", and at the caller that means "answered". */
    default String receivedType() {
        return "invitation.received";
    }

    default String acceptedType() {
        return "invitation.accepted";
    }
}
