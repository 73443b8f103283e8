package dev.beckon.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.beckon.auth.Actor;
import dev.beckon.model.Conference;
import dev.beckon.model.Invitation;
import io.smallrye.mutiny.Uni;

/** Reads: a conference with its participants, and a user's invitations across all shards. */
@ApplicationScoped
public class ConferenceQueries {

    private static final Comparator<Invitation> NEWEST_FIRST = Comparator.comparing(Invitation::createdAt)
            .thenComparing(Invitation::invitationId).reversed();

    @Inject
    ConferenceStore store;

    @Inject
    ObjectMapper mapper;

    /** The conference as a participant (or a server token acting as no one) sees it. */
    public Uni<Conference> conference(String conferenceId, Actor actor) {
        int shard = Shards.ofConference(conferenceId);
        if (shard < 0) {
            return Uni.createFrom().failure(ConferenceStore.noConference(conferenceId));
        }
        return store.run(Script.CONFERENCE, shard, store.conferenceInput(conferenceId, actor))
                .map(items -> store.read(items.get(0), Conference.class));
    }

    /**
     * Where a user's event stream stands in each shard, and the invitations still ringing for
     * them there, as the {@code invitation.received} events that announced them.
     */
    public Uni<List<StreamStart>> openStreams(String userId) {
        return store.runInEveryShard(Script.CONNECT, mapper.createObjectNode().put("userId", userId))
                .map(shards -> shards.stream()
                        .map(items -> new StreamStart(items.get(0).isEmpty() ? null : items.get(0), items.subList(1, items.size())))
                        .toList());
    }

    /** {@code lastId} is null when the stream is empty; {@code ringing} are event JSON documents. */
    public record StreamStart(String lastId, List<String> ringing) {
    }

    /** A user's newest invitations in one direction, merged from every shard. */
    public Uni<List<Invitation>> invitations(String userId, String direction, boolean pendingOnly, int limit) {
        var input = mapper.createObjectNode().put("userId", userId).put("direction", direction)
                .put("pendingOnly", pendingOnly).put("limit", limit);
        return store.runInEveryShard(Script.HISTORY, input).map(results -> {
            List<Invitation> all = new ArrayList<>();
            for (List<String> items : results) {
                for (String item : items) {
                    all.add(store.read(item, Invitation.class));
                }
            }
            all.sort(NEWEST_FIRST);
            return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
        });
    }
}
