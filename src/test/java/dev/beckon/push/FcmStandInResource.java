package dev.beckon.push;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** An {@link FcmStandIn} the application under test is configured to push to, with the default push timeout (10 s) spelled out. */
public class FcmStandInResource implements QuarkusTestResourceLifecycleManager {

    private static FcmStandIn google;

    static FcmStandIn google() {
        return google;
    }

    @Override
    public Map<String, String> start() {
        try {
            Path directory = Files.createTempDirectory("beckon-fcm");
            directory.toFile().deleteOnExit();
            google = new FcmStandIn(directory);
            return Map.of(
                    "beckon.push.fcm.service-account-location", google.serviceAccountFile().toString(),
                    "beckon.push.fcm.url", google.baseUrl().toString(),
                    "beckon.push.timeout", "10s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (google != null) {
            google.close();
            google = null;
        }
    }
}
