package dev.beckon.function;

import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.beckon.api.ApiException;
import dev.beckon.api.RequestReader;
import dev.beckon.api.constraints.Text;
import dev.beckon.api.constraints.UserId;
import dev.beckon.device.NewDevice;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The inputs of registerDevice, unregisterDevice and listDevices, records like {@link Requests}.
 * A registration is checked as far as the push service would: a Web Push endpoint is an https
 * URL and its keys are a real P-256 point and a 16-byte secret; tokens have their platform's
 * alphabet and a sane length.
 */
final class DeviceRequests {

    static final int MAX_LABEL = 64;
    static final int MAX_ENDPOINT = 2048;
    /** FCM registration tokens are about 160 characters of base64url and ':'. */
    static final Pattern FCM_TOKEN = Pattern.compile("[A-Za-z0-9_:.-]{32,1024}");
    /** APNs device tokens are 32 bytes in hex today; Apple reserves the right to make them longer. */
    static final Pattern APNS_TOKEN = Pattern.compile("(?:[0-9A-Fa-f]{2}){32,100}");
    /** Plain http endpoints on this machine, for a local push service outside production. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");
    /** Outside production a local push service may listen on plain http (tests, a developer's machine). */
    private static final boolean LOOPBACK_HTTP = LaunchMode.current() != LaunchMode.NORMAL;

    private DeviceRequests() {
    }

    /** The push platforms a device may name; constants are spelled as on the wire. */
    @Schema(name = "Platform")
    enum Platform {
        webpush, fcm, apns
    }

    @RegisterForReflection
    @Schema(name = "WebPushKeys", additionalProperties = Schema.False.class)
    record Keys(
            @Schema(description = "base64url of the uncompressed P-256 public key (65 bytes)") @NotNull @Size(min = 1, max = 128) String p256dh,
            @Schema(description = "base64url of 16 bytes") @NotNull @Size(min = 1, max = 64) String auth) {
    }

    /** What the browser's {@code PushSubscription.toJSON()} gives, expirationTime included. */
    @RegisterForReflection
    @Schema(name = "WebPushSubscription", additionalProperties = Schema.False.class,
            description = "webpush only: the browser's PushSubscription.toJSON()")
    record Subscription(
            @Schema(description = "an https URL (outside production also http on 127.0.0.1, localhost or [::1])")
            @NotNull @Size(min = 1, max = MAX_ENDPOINT) String endpoint,
            @Schema(description = "accepted and ignored") Double expirationTime,
            @NotNull @Valid Keys keys) {
    }

    @RegisterForReflection
    @Schema(name = "RegisterDeviceRequest", additionalProperties = Schema.False.class)
    record RegisterDevice(
            @NotNull Platform platform,
            @Valid Subscription subscription,
            @Schema(description = "fcm: the registration token; apns: the device token in hex (32..100 bytes)")
            @Size(min = 1, max = 1024) String token,
            @Schema(description = "apns only: a PushKit (VoIP) token", defaultValue = "false") Boolean voip,
            @Schema(description = "a name for the user, e.g. \"Firefox on the laptop\"; kept when a renewal leaves it out")
            @Size(min = 1, max = MAX_LABEL) @Text String label,
            @Schema(description = Requests.AS) @jakarta.validation.constraints.Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as)
            implements RequestReader.CrossChecked {

        @Override
        public void check() {
            device();
        }

        /** The device this registration describes; {@link ApiException} for a combination its platform refuses. */
        NewDevice device() {
            if (voip != null && platform != Platform.apns) {
                throw ApiException.invalid("'voip' applies only to platform apns.");
            }
            if (platform == Platform.webpush) {
                if (token != null) {
                    throw ApiException.invalid("'token' does not apply to platform webpush: send the browser's 'subscription'.");
                }
                if (subscription == null) {
                    throw ApiException.invalid("'subscription' is required for platform webpush: {endpoint, keys: {p256dh, auth}}.");
                }
                return webPush(subscription, label);
            }
            if (subscription != null) {
                throw ApiException.invalid("'subscription' applies only to platform webpush: send the device's 'token'.");
            }
            return NewDevice.withToken(platform.name(), token(token, platform), voip != null && voip, label);
        }

        private static NewDevice webPush(Subscription subscription, String label) {
            String endpoint = endpoint(subscription.endpoint());
            String p256dh = subscription.keys().p256dh();
            byte[] point = base64Url(p256dh, "subscription.keys.p256dh");
            if (point.length != 65 || point[0] != 0x04 || !onP256(point)) {
                throw ApiException.invalid("'subscription.keys.p256dh' must be base64url of an uncompressed P-256 public key (65 bytes).");
            }
            String auth = subscription.keys().auth();
            if (base64Url(auth, "subscription.keys.auth").length != 16) {
                throw ApiException.invalid("'subscription.keys.auth' must be base64url of 16 bytes.");
            }
            return NewDevice.webPush(endpoint, p256dh, auth, label);
        }

        private static String endpoint(String endpoint) {
            String problem = "'subscription.endpoint' must be an https URL"
                    + (LOOPBACK_HTTP ? " (or http on 127.0.0.1, localhost or [::1])." : ".");
            URI uri;
            try {
                uri = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw ApiException.invalid(problem);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.isOpaque()) {
                throw ApiException.invalid(problem);
            }
            boolean secure = scheme.equals("https");
            boolean local = scheme.equals("http") && LOOPBACK_HTTP && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
            if (!secure && !local) {
                throw ApiException.invalid(problem);
            }
            return endpoint;
        }

        private static String token(String token, Platform platform) {
            if (token == null) {
                throw ApiException.invalid("'token' is required for platform " + platform + ".");
            }
            if (platform == Platform.fcm) {
                if (!FCM_TOKEN.matcher(token).matches()) {
                    throw ApiException.invalid("'token' must be an FCM registration token: 32..1024 characters of A-Z a-z 0-9 _ : . -");
                }
                return token;
            }
            if (!APNS_TOKEN.matcher(token).matches()) {
                throw ApiException.invalid("'token' must be an APNs device token: 32..100 bytes in hex.");
            }
            // the same token in either case is the same device
            return token.toLowerCase(Locale.ROOT);
        }
    }

    @RegisterForReflection
    @Schema(name = "UnregisterDeviceRequest", additionalProperties = Schema.False.class)
    record UnregisterDevice(
            @NotBlank String deviceId,
            @Schema(description = Requests.AS) @jakarta.validation.constraints.Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as) {
    }

    @RegisterForReflection
    @Schema(name = "ListDevicesRequest", additionalProperties = Schema.False.class)
    record ListDevices(
            @Schema(description = Requests.AS) @jakarta.validation.constraints.Pattern(regexp = UserId.PATTERN, message = UserId.MESSAGE) String as) {
    }

    /** base64url, with or without padding (browsers send it without). */
    private static byte[] base64Url(String value, String field) {
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("'" + field + "' must be base64url.");
        }
    }

    private static final EllipticCurve P256 = p256();

    /** Whether the uncompressed point {@code 04 || x || y} lies on P-256: y² = x³ + ax + b (mod p). */
    static boolean onP256(byte[] point) {
        BigInteger p = ((ECFieldFp) P256.getField()).getP();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(P256.getA().multiply(x)).add(P256.getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(right);
    }

    private static EllipticCurve p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class).getCurve();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
