package dev.beckon.api;

/**
 * A failure the client caused or can act on. Carries everything the error JSON needs;
 * {@link ErrorResponder} turns it into the response. No stack trace: these are expected.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final String state;
    private final Long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ApiException(ErrorCode code, String message, String state, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.state = state;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    public static ApiException conflict(String message, String state) {
        return new ApiException(ErrorCode.CONFLICT, message, state, null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(ErrorCode.TOO_LARGE, message);
    }

    public static ApiException rateLimited(String message, long retryAfterSeconds) {
        return new ApiException(ErrorCode.RATE_LIMITED, message, null, retryAfterSeconds);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(ErrorCode.UNAVAILABLE, message);
    }

    public ErrorCode code() {
        return code;
    }

    public String state() {
        return state;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiError body() {
        return new ApiError(code.code, getMessage(), state);
    }
}
