package dev.beckon.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The kind of call a conference is; constants are spelled as on the wire. */
@Schema(name = "CallType")
public enum CallType {
    video_call, audio_call, live_streaming
}
