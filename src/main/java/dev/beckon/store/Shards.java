package dev.beckon.store;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Beckon's state is split into {@value #COUNT} shards. A conference, its invitations, its
 * deadlines and the per-user streams and indexes its scripts write all live in one shard, under
 * one Redis Cluster hash tag, so every state change is a single-slot script. Per-user reads
 * (history, event replay) visit every shard.
 * <p>
 * Each shard's tag is chosen so that its slot falls in a different 1/16 of the slot range: a
 * cluster that splits the slots evenly also gets the shards evenly.
 */
public final class Shards {

    public static final int COUNT = 16;
    private static final int SLOTS = 16384;
    private static final String HEX = "0123456789abcdef";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ID_RANDOM_CHARS = 19;

    private static final String[] PREFIXES = new String[COUNT];

    static {
        int span = SLOTS / COUNT;
        for (int shard = 0; shard < COUNT; shard++) {
            for (int n = 0; ; n++) {
                String tag = "b" + n;
                if (slot(tag) / span == shard) {
                    PREFIXES[shard] = "bk:{" + tag + "}:";
                    break;
                }
            }
        }
    }

    private Shards() {
    }

    /** The key prefix (with hash tag) of a shard; scripts take it as KEYS[1]. */
    public static String prefix(int shard) {
        return PREFIXES[shard];
    }

    /** A user's event log in a shard, a list (the scripts' {@code k_user('ev', uid)}). */
    public static String eventStream(int shard, String userId) {
        return PREFIXES[shard] + "ev:" + userId;
    }

    /** A shard's webhook outbox (the scripts' {@code P .. 'hooks'}). */
    public static String webhookOutbox(int shard) {
        return PREFIXES[shard] + "hooks";
    }

    /**
     * A new conference id: its shard as one hex digit, then 19 random base62 characters.
     * The caller owns the generator (a static one would be frozen into a native image).
     */
    public static String newConferenceId(SecureRandom random) {
        return newConferenceId(random, random.nextInt(COUNT));
    }

    /** A new conference id in a given shard. */
    static String newConferenceId(SecureRandom random, int shard) {
        StringBuilder id = new StringBuilder(1 + ID_RANDOM_CHARS).append(HEX.charAt(shard));
        for (int i = 0; i < ID_RANDOM_CHARS; i++) {
            id.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    /** The shard of a conference id, or -1 when the id cannot be one of ours. */
    public static int ofConference(String conferenceId) {
        if (conferenceId == null || conferenceId.length() != 1 + ID_RANDOM_CHARS) {
            return -1;
        }
        for (int i = 1; i < conferenceId.length(); i++) {
            if (BASE62.indexOf(conferenceId.charAt(i)) < 0) {
                return -1;
            }
        }
        return HEX.indexOf(conferenceId.charAt(0));
    }

    /** The conference an invitation id belongs to ({@code <conferenceId>-<n>}), or null. */
    public static String conferenceOfInvitation(String invitationId) {
        if (invitationId == null) {
            return null;
        }
        int dash = invitationId.lastIndexOf('-');
        if (dash <= 0 || dash == invitationId.length() - 1 || invitationId.length() - dash > 10) {
            return null;
        }
        for (int i = dash + 1; i < invitationId.length(); i++) {
            char c = invitationId.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        String conferenceId = invitationId.substring(0, dash);
        return ofConference(conferenceId) < 0 ? null : conferenceId;
    }

    /**
     * A one-to-one call between two users ({@code "<a>|<b>"}, sorted): both directions of it are
     * made in this shard, so one script sees both and decides glare (see invite.lua).
     */
    static int ofPair(String pair) {
        return slot(pair) % COUNT;
    }

    /** Redis Cluster's key slot of a hash tag: CRC16-XMODEM modulo 16384. */
    static int slot(String tag) {
        int crc = 0;
        for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc % SLOTS;
    }
}
