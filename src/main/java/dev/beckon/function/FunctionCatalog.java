package dev.beckon.function;

import java.util.List;

import dev.beckon.device.Device;
import dev.beckon.device.DeviceList;
import dev.beckon.device.UnregisteredDevice;
import dev.beckon.model.Conference;
import dev.beckon.model.CreatedConference;
import dev.beckon.model.Invitation;
import dev.beckon.model.InvitationList;

/**
 * Every function Beckon serves as {@code POST /<name>}: its input record, its answer and the
 * statuses it can fail with. The guard routes from it and the OpenAPI document's operations are
 * generated from it; the schemas come from the records themselves.
 */
public final class FunctionCatalog {

    /** One function. {@code errors}: the HTTP statuses it can answer besides 200. */
    public record Entry(String name, Class<?> request, Class<?> answer, String summary, String description,
            List<Integer> errors) {
    }

    private static final List<Integer> READ = List.of(400, 401, 403, 404, 503);
    private static final List<Integer> CHANGE = List.of(400, 401, 403, 404, 409, 503);

    public static final List<Entry> ALL = List.of(
            new Entry("createConference", Requests.CreateConference.class, CreatedConference.class,
                    "Create a conference owned by the caller and ring its first participants", null,
                    List.of(400, 401, 403, 413, 429, 503)),
            new Entry("invite", Requests.Invite.class, InvitationList.class,
                    "Ring more people into a conference (someone already ringing is not rung again)", null,
                    List.of(400, 401, 403, 404, 409, 413, 429, 503)),
            new Entry("respond", Requests.Respond.class, Invitation.class,
                    "The invitee accepts (receiving an access token) or declines with a reason", null, CHANGE),
            new Entry("cancel", Requests.Cancel.class, Invitation.class,
                    "The inviter, the owner or a server token withdraws a ringing invitation", null, CHANGE),
            new Entry("getConference", Requests.ConferenceRef.class, Conference.class,
                    "A conference and its participants, as a participant (or a server token) sees it", null, READ),
            new Entry("listInvitations", Requests.ListInvitations.class, InvitationList.class,
                    "The caller's inbox (incoming) or calls made (outgoing), newest first", null, List.of(400, 401, 403, 503)),
            new Entry("presence", Requests.Presence.class, PresenceFunction.Answer.class,
                    "Whether users have an open event stream, and on how many devices", null, List.of(400, 401, 413, 503)),
            new Entry("leave", Requests.ConferenceRef.class, Conference.class,
                    "The caller hangs up; the last connected participant to leave ends the conference", null, CHANGE),
            new Entry("registerDevice", DeviceRequests.RegisterDevice.class, Device.class,
                    "Registers the caller's browser (Web Push) or phone (FCM, APNs) for call pushes, or renews it",
                    "Registering the same subscription endpoint or token again returns the same device and renews it."
                            + " A device not renewed for 60 days is forgotten; a user keeps at most 20 (a 21st forgets the one"
                            + " renewed longest ago). An address registered by another user before becomes the caller's."
                            + " A platform this server has not configured is refused (400, naming the platform).",
                    List.of(400, 401, 403, 503)),
            new Entry("unregisterDevice", DeviceRequests.UnregisterDevice.class, UnregisteredDevice.class,
                    "Forgets one of the caller's devices", null, READ),
            new Entry("listDevices", DeviceRequests.ListDevices.class, DeviceList.class,
                    "The caller's live devices, least recently renewed first", null, List.of(400, 401, 403, 503)));

    /** The functions' names, each served as {@code POST /<name>}. */
    public static final List<String> NAMES = ALL.stream().map(Entry::name).toList();

    private FunctionCatalog() {
    }
}
