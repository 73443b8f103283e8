package dev.beckon.api;

/** The error codes of the public contract and the HTTP status each one travels with. */
public enum ErrorCode {
    INVALID_REQUEST(400, "invalid_request"),
    UNAUTHENTICATED(401, "unauthenticated"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "invalid_request"),
    /** The Accept header names no type the endpoint produces: the request is what is wrong. */
    NOT_ACCEPTABLE(406, "invalid_request"),
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request"),
    CONFLICT(409, "conflict"),
    TOO_LARGE(413, "too_large"),
    RATE_LIMITED(429, "rate_limited"),
    INTERNAL(500, "internal"),
    UNAVAILABLE(503, "unavailable");

    public final int status;
    public final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** Maps the code a Lua script returns back to its enum. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code) && c.status != 405 && c.status != 406 && c.status != 415) {
                return c;
            }
        }
        return INTERNAL;
    }
}
