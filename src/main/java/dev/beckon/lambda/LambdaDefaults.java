package dev.beckon.lambda;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The defaults of the Lambda build ({@code ./mvnw package -Plambda}, recognised by Quarkus' Lambda
 * runtime being on the class path): the functions alone ({@code beckon.role=functions}), since the
 * push gateway (event streams, presence, the expiry sweeper, webhooks, device push) cannot live in
 * a function that only runs while it answers; and, in its tests, the mock Lambda event server on a
 * free port. A default only: {@code BECKON_ROLE} and application.properties still decide. In any
 * other build this source is empty.
 */
public class LambdaDefaults implements ConfigSource {

    private static final String LAMBDA_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";

    private static final Map<String, String> PROPERTIES = onLambda()
            ? Map.of("beckon.role", "functions", "%test.quarkus.lambda.mock-event-server.test-port", "0")
            : Map.of();

    private static boolean onLambda() {
        try {
            Class.forName(LAMBDA_HANDLER, false, LambdaDefaults.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return PROPERTIES;
    }

    @Override
    public Set<String> getPropertyNames() {
        return PROPERTIES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTIES.get(propertyName);
    }

    @Override
    public String getName() {
        return "beckon-lambda-defaults";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
