package dev.beckon.model;

import java.util.Arrays;
import java.util.List;

/** What a participant may do in a conference; carried in the {@code perms} claim of access tokens. */
public enum Permission {
    JOIN, SEND_AUDIO, SEND_VIDEO, SHARE_SCREEN, SHARE_VIDEO, SHARE_FILE, SEND_MESSAGE, RECORD, STREAM,
    INVITE, KICK, UPDATE_PERMISSIONS;

    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

    /** An invitee's permissions unless the inviter chooses: JOIN … STREAM. */
    public static final List<String> INVITEE_DEFAULT = NAMES.subList(0, STREAM.ordinal() + 1);
}
