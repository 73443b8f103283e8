package dev.beckon.push;

/** Why a device was forgotten, as counted in {@code beckon_push_devices_forgotten_total{reason}}. */
public enum ForgetReason {
    /** Its push service said it no longer exists. */
    gone,
    /** Not renewed for 60 days. */
    stale,
    /** Its user registered more devices than allowed; the oldest goes. */
    replaced,
    /** Its user unregistered it. */
    unregistered
}
