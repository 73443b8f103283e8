package dev.beckon.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.beckon.api.ApiException;
import dev.beckon.store.RedisScripts;
import dev.beckon.store.Script;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The push devices of each user, in Redis. A user's devices live under their own hash tag
 * ({@code bk:dv:{<userId>}:…}, see {@code scripts/devices.lua}), so registering, renewing,
 * forgetting and pruning are each one atomic script in one slot, on a single Redis and on a cluster.
 * <p>
 * A device is known by its address (the Web Push endpoint, or the FCM/APNs token): registering
 * the same address again renews the same device. A device not renewed for {@link #TTL} is
 * forgotten, and a user keeps at most {@link #MAX_PER_USER}: a new one beyond that forgets the
 * one renewed longest ago.
 * <p>
 * An address belongs to one user at a time. When a browser or phone changes hands and the next
 * user registers it, the previous user's device is forgotten, so their calls stop ringing on a
 * device they no longer hold. That previous user's keys live in another slot, so a small claim
 * key per address ({@code bk:dc:{<address digest>}} → user id, expiring with the device) names the
 * holder, and registration runs in steps that are each atomic and safe to repeat: read the claim;
 * if another user holds it, forget the device there; then register for the new user and claim
 * the address. A registration cut off half-way leaves the claim with the previous user, so the
 * client's retry completes it. Two users registering one address at the same instant may both
 * keep it until one renews; the push services deliver to the holder of the device either way.
 */
@ApplicationScoped
public class DeviceStore {

    /** How long a device lives without being registered again. */
    public static final Duration TTL = Duration.ofDays(60);

    /** Devices one user keeps at most. */
    public static final int MAX_PER_USER = 20;

    /** Longer strings were never issued as device ids, so they are unknown without asking Redis. */
    private static final int MAX_ID_LENGTH = 64;

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final RedisScripts scripts;
    private final ObjectMapper mapper;
    private final SecureRandom random = new SecureRandom();

    DeviceStore(RedisScripts scripts, ObjectMapper mapper) {
        this.scripts = scripts;
        this.mapper = mapper;
    }

    /** The prefix of every key of {@code userId}'s devices. */
    public static String keyPrefix(String userId) {
        return "bk:dv:{" + userId + "}:";
    }

    /** The key naming the user who holds a device address (see {@link NewDevice#address()}). */
    public static String claimKey(String address) {
        return "bk:dc:{" + address + "}";
    }

    /** Registers {@code device} for {@code userId}, or renews it when its address is registered already. */
    public Uni<Device> register(String userId, NewDevice device) {
        String address = device.address();
        String ttlMs = Long.toString(TTL.toMillis());
        return scripts.send(Request.cmd(Command.GET).arg(claimKey(address)))
                .chain(holder -> holder == null || holder.toString().equals(userId)
                        ? Uni.createFrom().voidItem()
                        : run(holder.toString(), "forget-addr", address).replaceWithVoid())
                .chain(() -> Uni.combine().all().unis(
                        run(userId, "register", ttlMs, Integer.toString(MAX_PER_USER), newDeviceId(), address, fields(device)),
                        scripts.send(Request.cmd(Command.SET).arg(claimKey(address)).arg(userId).arg("PX").arg(ttlMs)))
                        .asTuple())
                .map(registered -> device(read(registered.getItem1())));
    }

    /** Forgets one of {@code userId}'s devices; 404 when they have no device of that id. */
    public Uni<UnregisteredDevice> unregister(String userId, String deviceId) {
        return forget(userId, deviceId).map(forgotten -> {
            if (!forgotten) {
                throw noDevice(deviceId);
            }
            return new UnregisteredDevice(deviceId);
        });
    }

    /** {@code userId}'s live devices, least recently renewed first. */
    public Uni<List<Device>> list(String userId) {
        return live(userId).map(stored -> stored.stream().map(DeviceStore::device).toList());
    }

    /** For the push dispatcher: every live device of {@code userId} with its address, least recently renewed first. */
    public Uni<List<PushTarget>> targets(String userId) {
        return live(userId).map(stored -> stored.stream().map(DeviceStore::target).toList());
    }

    /**
     * For the push dispatcher, when a push service says a device is gone: forgets it at once.
     * True when it was there.
     */
    public Uni<Boolean> forget(String userId, String deviceId) {
        if (deviceId.isEmpty() || deviceId.length() > MAX_ID_LENGTH) {
            return Uni.createFrom().item(false);
        }
        return run(userId, "unregister", deviceId).map(reply -> reply != null);
    }

    /** The key that remembers which of {@code userId}'s devices were rung for an invitation. */
    public static String pushedKey(String userId, String invitationId) {
        return keyPrefix(userId) + "p:" + invitationId;
    }

    /**
     * For the push dispatcher: remembers the devices rung for an invitation until {@code ttl}
     * from now, so its end reaches the same devices. Ids are space-separated (ids never hold one).
     */
    public Uni<Void> recordPushed(String userId, String invitationId, List<String> deviceIds, Duration ttl) {
        return scripts.send(Request.cmd(Command.SET).arg(pushedKey(userId, invitationId)).arg(String.join(" ", deviceIds))
                .arg("PX").arg(Math.max(1, ttl.toMillis()))).replaceWithVoid();
    }

    /**
     * For the push dispatcher: the devices rung for an invitation; empty when none. Read, not
     * taken: should the instance pushing the end die, the instance that takes it over finds them
     * still ({@link #forgetPushed} once the end is pushed).
     */
    public Uni<List<String>> pushed(String userId, String invitationId) {
        return scripts.send(Request.cmd(Command.GET).arg(pushedKey(userId, invitationId)))
                .map(reply -> reply == null || reply.toString().isEmpty() ? List.<String>of() : List.of(reply.toString().split(" ")));
    }

    /** For the push dispatcher, once an invitation's end is pushed: its record of the devices rung goes. */
    public Uni<Void> forgetPushed(String userId, String invitationId) {
        return scripts.send(Request.cmd(Command.DEL).arg(pushedKey(userId, invitationId))).replaceWithVoid();
    }

    private Uni<List<JsonNode>> live(String userId) {
        return run(userId, "list").map(reply -> {
            List<JsonNode> stored = new ArrayList<>(reply.size());
            for (Response item : reply) {
                stored.add(read(item));
            }
            return stored;
        });
    }

    private Uni<Response> run(String userId, String operation, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = operation;
        System.arraycopy(args, 0, all, 1, args.length);
        return scripts.run(Script.DEVICES, keyPrefix(userId), all);
    }

    /** Random, URL-safe, 128 bits. */
    private String newDeviceId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String fields(NewDevice device) {
        ObjectNode fields = mapper.createObjectNode().put("platform", device.platform());
        putIfPresent(fields, "endpoint", device.endpoint());
        putIfPresent(fields, "p256dh", device.p256dh());
        putIfPresent(fields, "auth", device.auth());
        putIfPresent(fields, "token", device.token());
        putIfPresent(fields, "label", device.label());
        if (device.voip()) {
            fields.put("voip", true);
        }
        return fields.toString();
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private JsonNode read(Response json) {
        try {
            return mapper.readTree(json.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Device device(JsonNode stored) {
        return new Device(stored.get("deviceId").asText(), stored.get("platform").asText(), text(stored, "label"),
                iso(stored.get("createdAt")), iso(stored.get("expiresAt")));
    }

    private static PushTarget target(JsonNode stored) {
        return new PushTarget(stored.get("deviceId").asText(), stored.get("platform").asText(), text(stored, "endpoint"),
                text(stored, "p256dh"), text(stored, "auth"), text(stored, "token"), stored.path("voip").asBoolean(false));
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String iso(JsonNode epochMs) {
        return ISO.format(Instant.ofEpochMilli(epochMs.asLong()));
    }

    static ApiException noDevice(String deviceId) {
        String named = deviceId.length() <= MAX_ID_LENGTH ? " '" + deviceId + "'" : "";
        return ApiException.notFound("No device" + named + " is registered for this user.");
    }
}
