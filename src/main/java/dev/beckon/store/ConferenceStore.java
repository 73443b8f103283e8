package dev.beckon.store;

import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.api.ApiException;
import dev.beckon.auth.Actor;
import dev.beckon.config.BeckonConfig;
import dev.beckon.metrics.BeckonMetrics;
import dev.beckon.model.Conference;
import dev.beckon.model.ConferenceSettings;
import dev.beckon.model.Invitation;
import dev.beckon.model.Invitee;
import dev.beckon.push.PushService;
import dev.beckon.ratelimit.InviteRateLimit;
import dev.beckon.redis.RedisTopology;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Every state change of conferences and invitations, each one Lua script call (see
 * {@code scripts/}). The scripts check the current state, write the new one, set TTLs and
 * publish the events in one atomic step; this class only builds their input and reads their reply.
 */
@ApplicationScoped
public class ConferenceStore {

    @Inject
    RedisScripts scripts;

    @Inject
    ObjectMapper mapper;

    @Inject
    BeckonConfig config;

    @Inject
    BeckonMetrics metrics;

    @Inject
    BusyMarkers busyMarkers;

    @Inject
    PushService push;

    @Inject
    RedisTopology topology;

    private final SecureRandom random = new SecureRandom();

    /** A fresh conference id (it names its shard). */
    public String newConferenceId() {
        return Shards.newConferenceId(random);
    }

    /**
     * A fresh conference id for a conference of {@code owner} that rings {@code invitees}: a call
     * to exactly one person is made in the shard of the pair, where glare is decided.
     */
    public String newConferenceId(String owner, List<Invitee> invitees) {
        if (invitees.size() != 1) {
            return newConferenceId();
        }
        return Shards.newConferenceId(random, Shards.ofPair(pair(owner, invitees.get(0).userId())));
    }

    static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /**
     * How far a conference's deadline moves before its connected participants' busy markers are
     * updated to it: an accept right after its invitation costs no update of the caller's marker,
     * and a marker lags the conference's sliding deadline by at most this.
     */
    static final long MARK_SLACK_MS = 60_000;
    /** An event log longer than this is trimmed to the replay window ... */
    static final int LOG_TRIM_OVER = 32;
    /** ... every this many appends; a shorter log just expires a window after its newest entry. */
    static final int LOG_TRIM_EVERY = 16;

    /** The settings every state machine script reads after its input (see scripts/lib/base.lua). */
    private String[] settings;

    @PostConstruct
    void init() {
        settings = new String[] {
                null, null,
                Long.toString(config.conferenceTtl().toMillis()),
                Long.toString(config.retention().toMillis()),
                Long.toString(config.events().replayWindow().toMillis()),
                config.webhook().url().isPresent() ? "1" : "0",
                Integer.toString(config.historyLimit()),
                Long.toString(ConferenceSettings.MAX_RING_SECONDS * 1000L),
                Integer.toString(config.maxParticipants()),
                push.enabled() ? "1" : "0",
                Long.toString(MARK_SLACK_MS),
                Integer.toString(LOG_TRIM_OVER),
                Integer.toString(LOG_TRIM_EVERY),
                topology.scriptsReachEveryKey() ? "1" : "0" };
    }

    /** The conference document fixed at creation. */
    public record NewConference(String conferenceId, String alias, String ownerId, String callType, boolean isProtected,
            String message, String roomUrl, ConferenceSettings settings) {
    }

    public Uni<Invited> create(NewConference conference, Actor owner, List<Invitee> invitees, InviteRateLimit.InStep bucket) {
        ObjectNode create = mapper.createObjectNode()
                .put("conferenceId", conference.conferenceId())
                .put("alias", conference.alias())
                .put("ownerId", conference.ownerId())
                .put("callType", conference.callType())
                .put("protected", conference.isProtected());
        putIfPresent(create, "message", conference.message());
        putIfPresent(create, "roomUrl", conference.roomUrl());
        create.set("settings", mapper.valueToTree(conference.settings()));
        // a one-to-one call made in its pair's shard (newConferenceId) takes part in glare
        String pair = invitees.size() == 1 ? pair(owner.userId(), invitees.get(0).userId()) : null;
        boolean inPairShard = pair != null && Shards.ofPair(pair) == Shards.ofConference(conference.conferenceId());
        return withBusy(conference.conferenceId(), owner, invitees, bucket, input -> {
            if (inPairShard) {
                input.put("pair", pair);
            }
            input.set("create", create);
            return run(Script.INVITE, Shards.ofConference(conference.conferenceId()), input).map(this::invited);
        });
    }

    /**
     * Runs the invite step with the invitees' busy markers: on a cluster read first (one round
     * trip), on a single Redis read by the step itself.
     */
    private Uni<Invited> withBusy(String conferenceId, Actor actor, List<Invitee> invitees, InviteRateLimit.InStep bucket,
            java.util.function.Function<ObjectNode, Uni<Invited>> step) {
        if (topology.scriptsReachEveryKey()) {
            return step.apply(inviteInput(conferenceId, actor, invitees, bucket));
        }
        return busyMarkers.busy(conferenceId, invitees.stream().map(Invitee::userId).toList()).chain(busy -> {
            ObjectNode input = inviteInput(conferenceId, actor, invitees, bucket);
            for (JsonNode who : input.withArray("invitees")) {
                if (busy.contains(who.get("userId").asText())) {
                    ((ObjectNode) who).put("busy", true);
                }
            }
            return step.apply(input);
        });
    }

    public Uni<Invited> invite(String conferenceId, Actor actor, List<Invitee> invitees, String message, Integer ringSeconds,
            InviteRateLimit.InStep bucket) {
        int shard = Shards.ofConference(conferenceId);
        if (shard < 0) {
            return Uni.createFrom().failure(noConference(conferenceId));
        }
        return withBusy(conferenceId, actor, invitees, bucket, input -> {
            putIfPresent(input, "message", message);
            if (ringSeconds != null) {
                input.put("ringMs", ringSeconds * 1000L);
            }
            return run(Script.INVITE, shard, input).map(this::invited);
        });
    }

    public Uni<Responded> respond(String invitationId, Actor actor, String action, String reason, String message) {
        String conferenceId = Shards.conferenceOfInvitation(invitationId);
        if (conferenceId == null) {
            return Uni.createFrom().failure(noInvitation(invitationId));
        }
        ObjectNode input = invitationInput(conferenceId, invitationId, actor).put("action", action);
        putIfPresent(input, "reason", reason);
        putIfPresent(input, "message", message);
        return run(Script.RESPOND, Shards.ofConference(conferenceId), input)
                .map(items -> read(items.get(0), Responded.class));
    }

    public Uni<Invitation> cancel(String invitationId, Actor actor) {
        String conferenceId = Shards.conferenceOfInvitation(invitationId);
        if (conferenceId == null) {
            return Uni.createFrom().failure(noInvitation(invitationId));
        }
        return run(Script.CANCEL, Shards.ofConference(conferenceId), invitationInput(conferenceId, invitationId, actor))
                .map(items -> read(items.get(0), Invitation.class));
    }

    public Uni<Conference> leave(String conferenceId, Actor actor) {
        int shard = Shards.ofConference(conferenceId);
        if (shard < 0) {
            return Uni.createFrom().failure(noConference(conferenceId));
        }
        return run(Script.LEAVE, shard, conferenceInput(conferenceId, actor))
                .map(items -> read(items.get(0), Conference.class));
    }

    /** PENDING → RINGING once the invitee has it on an open session; empty when nothing changed. */
    public Uni<Optional<Invitation>> ring(String invitationId, String userId) {
        String conferenceId = Shards.conferenceOfInvitation(invitationId);
        if (conferenceId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        ObjectNode input = mapper.createObjectNode().put("cid", conferenceId).put("iid", invitationId).put("userId", userId);
        return run(Script.RING, Shards.ofConference(conferenceId), input)
                .map(items -> items.isEmpty() ? Optional.empty() : Optional.of(read(items.get(0), Invitation.class)));
    }

    /** Expires up to {@code limit} invitations of a shard whose deadline has passed. */
    public Uni<Expired> expireDue(int shard, int limit) {
        return run(Script.EXPIRE, shard, mapper.createObjectNode().put("limit", limit))
                .map(items -> new Expired(Integer.parseInt(items.get(0)),
                        items.get(1).isEmpty() ? null : (long) Double.parseDouble(items.get(1)), Long.parseLong(items.get(2)),
                        Long.parseLong(items.get(3))));
    }

    /**
     * What one sweep of a shard did; {@code nextDeadline} (epoch ms) is its earliest open deadline,
     * {@code lagMs} how far past its deadline the latest of those it expired was, {@code redisNow}
     * the Redis clock (epoch ms) the sweep judged deadlines by.
     */
    public record Expired(int count, Long nextDeadline, long lagMs, long redisNow) {
    }

    private ObjectNode inviteInput(String conferenceId, Actor actor, List<Invitee> invitees, InviteRateLimit.InStep bucket) {
        ObjectNode input = mapper.createObjectNode().put("cid", conferenceId).put("server", actor.server());
        if (bucket != null) {
            input.putObject("rateLimit").put("limit", bucket.limit()).put("periodMs", bucket.periodMs());
        }
        input.set("actor", party(actor));
        ArrayNode list = input.putArray("invitees");
        for (Invitee invitee : invitees) {
            list.add((ObjectNode) mapper.valueToTree(invitee));
        }
        return input;
    }

    private ObjectNode invitationInput(String conferenceId, String invitationId, Actor actor) {
        return conferenceInput(conferenceId, actor).put("iid", invitationId);
    }

    ObjectNode conferenceInput(String conferenceId, Actor actor) {
        ObjectNode input = mapper.createObjectNode().put("cid", conferenceId).put("server", actor.server());
        if (actor.userId() != null) {
            input.set("actor", party(actor));
        }
        return input;
    }

    private ObjectNode party(Actor actor) {
        ObjectNode party = mapper.createObjectNode().put("userId", actor.userId());
        putIfPresent(party, "name", actor.name());
        putIfPresent(party, "avatarUrl", actor.avatarUrl());
        return party;
    }

    private Invited invited(List<String> items) {
        Conference conference = read(items.get(0), Conference.class);
        List<Invited.Item> invited = new ArrayList<>(items.size() - 1);
        for (int i = 1; i < items.size(); i++) {
            invited.add(read(items.get(i), Invited.Item.class));
        }
        return new Invited(conference, invited);
    }

    /** Runs a read-only state machine script in every shard (one batch against a single Redis). */
    Uni<List<List<String>>> runInEveryShard(Script script, ObjectNode input) {
        String json = json(input);
        List<RedisScripts.Call> calls = new ArrayList<>(Shards.COUNT);
        for (int shard = 0; shard < Shards.COUNT; shard++) {
            calls.add(new RedisScripts.Call(Shards.prefix(shard), arguments(json, shard)));
        }
        return scripts.runEach(script, calls).map(replies -> replies.stream().map(this::items).toList());
    }

    /** Runs a state step, then applies the busy-marker changes it lists on a cluster (see BusyMarkers). */
    Uni<List<String>> run(Script script, int shard, ObjectNode input) {
        return scripts.run(script, Shards.prefix(shard), arguments(json(input), shard))
                .map(this::reply)
                .call(reply -> busyMarkers.apply(reply.marks()))
                .map(ScriptReply::itemsOrThrow);
    }

    /** Counts what the step did, then hands over its items or throws its error. */
    private List<String> items(Response response) {
        return reply(response).itemsOrThrow();
    }

    private ScriptReply reply(Response response) {
        ScriptReply reply = ScriptReply.of(response);
        metrics.transitions(reply.transitions());
        return reply;
    }

    private String json(ObjectNode input) {
        try {
            return mapper.writeValueAsString(input);
        } catch (JsonProcessingException e) {
            // a tree of plain values always serialises
            throw new UncheckedIOException(e);
        }
    }

    private String[] arguments(String json, int shard) {
        String[] args = settings.clone();
        args[0] = json;
        args[1] = Integer.toString(shard);
        return args;
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable script reply: " + json, e);
        }
    }

    static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    static ApiException noConference(String conferenceId) {
        return ApiException.notFound("No conference " + conferenceId + ".");
    }

    static ApiException noInvitation(String invitationId) {
        return ApiException.notFound("No invitation " + invitationId + ".");
    }
}
