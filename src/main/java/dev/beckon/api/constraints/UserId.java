package dev.beckon.api.constraints;

/** User ids of the application: what the contract allows in a token's {@code sub}. */
public final class UserId {

    /** For {@code @Pattern}: 1..128 characters of {@code [A-Za-z0-9._@:-]}. */
    public static final String PATTERN = "^[A-Za-z0-9._@:-]{1,128}$";
    public static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(PATTERN);
    public static final String MESSAGE = "must be a user id: 1..128 characters of A-Z a-z 0-9 . _ @ : -";

    private UserId() {
    }
}
