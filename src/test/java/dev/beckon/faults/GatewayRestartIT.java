package dev.beckon.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.beckon.redis.EmbeddedRedisServer;
import dev.beckon.support.AsyncApi;
import dev.beckon.support.Pause;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.ServiceProcess;
import dev.beckon.support.SseClient;
import dev.beckon.support.Tokens;

/**
 * The packaged application deployed as separate functions and gateway processes. The gateway
 * is killed (SIGKILL) while calls keep ringing its users through the functions; a new gateway
 * starts; the clients reconnect with their Last-Event-ID. Every device gets every event once:
 * what it received before the crash and after the reconnect is exactly its user's event log.
 */
class GatewayRestartIT {

    private static EmbeddedRedisServer redis;
    private static Map<String, String> env;

    @BeforeAll
    static void backingServices() throws Exception {
        redis = new EmbeddedRedisServer(EmbeddedRedisServer.freePort()).start();
        env = ServiceProcess.productionSettings(redis.uri());
    }

    @AfterAll
    static void stop() {
        redis.stop();
    }

    private static ServiceProcess start(String role, int port) throws Exception {
        Map<String, String> withRole = new HashMap<>(env);
        withRole.put("BECKON_ROLE", role);
        return ServiceProcess.startPackaged(port, withRole);
    }

    @Test
    void devicesReconnectingToANewGatewayMissNothingAndGetNothingTwice() throws Exception {
        String run = "gr" + System.nanoTime() % 100_000;
        String bob = run + "-bob";
        String bobToken = Tokens.user(bob);
        int gatewayPort = EmbeddedRedisServer.freePort();
        try (ServiceProcess functions = start("functions", EmbeddedRedisServer.freePort())) {
            ServiceProcess gateway = start("gateway", gatewayPort);
            SseClient phone = SseClient.connect(gateway.baseUrl(), bobToken, null);
            SseClient laptop = SseClient.connect(gateway.baseUrl(), bobToken, null);

            AsyncApi api = new AsyncApi(functions.baseUrl(), 8);
            AtomicBoolean calling = new AtomicBoolean(true);
            AtomicInteger calls = new AtomicInteger();
            Thread callers = new Thread(() -> {
                while (calling.get()) {
                    int n = calls.incrementAndGet();
                    String caller = run + "-caller" + n;
                    HttpResponse<String> created = api.post(Tokens.user(caller), "createConference",
                            "{\"participants\":[{\"userId\":\"" + bob + "\"}]}").join();
                    assertEquals(200, created.statusCode(), created.body());
                    if (n % 3 == 0) {
                        api.post(Tokens.user(caller), "cancel", "{\"invitationId\":\"" + AsyncApi.firstInvitationId(created.body()) + "\"}").join();
                    }
                    Pause.sleep(15);
                }
            });
            callers.start();
            Pause.sleep(1_500);

            gateway.kill();
            List<SseClient.Event> phoneBefore = phone.received();
            List<SseClient.Event> laptopBefore = laptop.received();
            String phoneResume = phone.lastEventId(), laptopResume = laptop.lastEventId();
            phone.close();
            laptop.close();
            Pause.sleep(1_000); // calls keep coming while no gateway runs

            try (ServiceProcess restarted = start("gateway", gatewayPort)) {
                SseClient phoneAgain = SseClient.connect(restarted.baseUrl(), bobToken, phoneResume);
                SseClient laptopAgain = SseClient.connect(restarted.baseUrl(), bobToken, laptopResume);
                Pause.sleep(1_500);
                calling.set(false);
                callers.join();
                Pause.sleep(1_000);

                Set<String> log = eventIds(bob);
                assertTrue(log.size() > 20, "enough traffic: " + log.size());
                assertEveryEventOnce("phone", phoneBefore, phoneAgain.received(), log);
                assertEveryEventOnce("laptop", laptopBefore, laptopAgain.received(), log);
                phoneAgain.close();
                laptopAgain.close();
            }
        }
    }

    private static void assertEveryEventOnce(String device, List<SseClient.Event> before, List<SseClient.Event> after, Set<String> log) {
        List<String> received = new ArrayList<>();
        before.forEach(e -> received.add(e.cloudEvent().get("id").asText()));
        after.forEach(e -> received.add(e.cloudEvent().get("id").asText()));
        assertEquals(received.size(), new HashSet<>(received).size(), device + " got an event twice");
        assertEquals(log, new HashSet<>(received), device + " missed events");
        assertTrue(!after.isEmpty(), device + " got the events of the downtime after reconnecting");
    }

    /** The ids of every event in the user's streams. */
    private static Set<String> eventIds(String userId) {
        Set<String> ids = new HashSet<>();
        RedisInspector.events(redis, userId).forEach(event -> ids.add(event.get("id").asText()));
        return ids;
    }
}
