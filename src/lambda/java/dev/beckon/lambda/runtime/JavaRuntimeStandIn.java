package dev.beckon.lambda.runtime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * What AWS Lambda's managed Java runtime does with a JVM function.zip, for measuring its cold
 * start here: instantiate the handler class named in {@code args[0]} (the SAM template's
 * {@code Handler}), then take events from the runtime API at {@code AWS_LAMBDA_RUNTIME_API} one
 * after the other, hand each to the handler and post its answer back. Runs in its own process,
 * with the unpacked function.zip and nothing else of the tests on the class path.
 */
public final class JavaRuntimeStandIn {

    private JavaRuntimeStandIn() {
    }

    public static void main(String[] args) throws Exception {
        String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            HttpResponse<byte[]> next = http.send(HttpRequest.newBuilder(URI.create(api + "next")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String requestId = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(next.body()), answer, new Invocation(requestId));
            http.send(HttpRequest.newBuilder(URI.create(api + requestId + "/response"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(answer.toByteArray())).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    /** The context of one invocation, as far as a stand-in knows it. */
    private record Invocation(String getAwsRequestId) implements Context {

        @Override
        public String getLogGroupName() {
            return "beckon";
        }

        @Override
        public String getLogStreamName() {
            return "beckon";
        }

        @Override
        public String getFunctionName() {
            return "beckon-functions";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:local:000000000000:function:beckon-functions";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 15_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
