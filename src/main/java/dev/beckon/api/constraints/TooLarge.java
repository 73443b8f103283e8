package dev.beckon.api.constraints;

import jakarta.validation.Payload;

/**
 * Marks a {@code @Size} whose maximum is a capacity rather than a shape: going over it is
 * 413 {@code too_large}, not 400 (more invitees than allowed, say).
 */
public interface TooLarge extends Payload {
}
