package dev.beckon.lambda;

import java.util.Map;

import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The defaults of the Lambda build ({@code ./mvnw package -Plambda}, recognised by Quarkus' Lambda
 * runtime being on the class path): the functions alone ({@code beckon.role=functions}), since the
 * push gateway (event streams, presence, the expiry sweeper, webhooks, device push) cannot live in
 * a function that only runs while it answers; and, in its tests, the mock Lambda event server on a
 * free port. A default only: {@code BECKON_ROLE} and application.properties still decide. In any
 * other build this source is empty.
 */
public class LambdaDefaults extends MapBackedConfigSource {

    private static final String LAMBDA_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler";

    public LambdaDefaults() {
        super("beckon-lambda-defaults", onLambda()
                ? Map.of("beckon.role", "functions", "%test.quarkus.lambda.mock-event-server.test-port", "0")
                : Map.of(), 150);
    }

    private static boolean onLambda() {
        try {
            Class.forName(LAMBDA_HANDLER, false, LambdaDefaults.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
