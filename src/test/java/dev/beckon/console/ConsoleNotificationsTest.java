package dev.beckon.console;

import static dev.beckon.support.Api.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Browser;
import dev.beckon.support.RedisInspector;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;



/**
 * The console's notifications in headless Chromium. Bob enables notifications: the console
 * registers its service worker and asks the browser for a push subscription with the server's
 * key. Headless Chromium has no push service to subscribe with (it would need Google's), so the
 * pushes Beckon would send are handed to the service worker by the DevTools protocol
 * ({@code ServiceWorker.deliverPushMessage}), with the exact CloudEvents Beckon pushes; and the
 * notification's Accept and Decline are pressed through the message the worker takes for them,
 * as no one can click a notification in a headless browser.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ConsoleNotificationsTest {

    private ChromeDriver alicesBrowser;
    private ChromeDriver bobsBrowser;

    @TestHTTPResource("/console/")
    URL console;

    private String alice;
    private String bob;
    private ConsolePage alicesPage;
    private ConsolePage bobsPage;

    /** Fresh browsers (profiles) per test: a service worker registration is the profile's first. */
    @BeforeEach
    void bobEnablesNotifications() {
        alicesBrowser = Browser.open();
        bobsBrowser = Browser.open();
        alice = unique("alice");
        bob = unique("bob");
        alicesPage = new ConsolePage(alicesBrowser).open(console).signIn(alice, Tokens.user(alice, "Alice Liddell", null)).awaitOnline();
        bobsBrowser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin(), "permissions", List.of("notifications")));
        bobsPage = new ConsolePage(bobsBrowser).open(console).signIn(bob, Tokens.user(bob, "Bob Stone", null)).awaitOnline();

        String status = bobsPage.enableNotifications();
        // with a push service (a desktop Chromium) it is "on"; headless Chromium cannot subscribe and says so
        assertThat(status, anyOf(is("on"), is("failed")));
        if (status.equals("failed")) {
            assertThat(bobsPage.awaitError("push_unavailable"), containsString("could not subscribe with its push service"));
        }
        assertThat(bobsPage.awaitServiceWorker(), endsWith("/console/"));
    }

    @AfterEach
    void closeBrowsers() {
        if (alicesBrowser != null) {
            alicesBrowser.quit();
        }
        if (bobsBrowser != null) {
            bobsBrowser.quit();
        }
    }

    @Test
    void aRingShowsANotificationItsAcceptAnswersTheCallAndTheAcceptedPushClosesIt() {
        String invitationId = alicesPage.call(bob, 30, "Stand-up?");
        push(event("invitation.received", invitationId));

        List<Map<String, Object>> ringing = awaitNotifications(ringTag(invitationId), 1);
        assertEquals("Alice Liddell is calling", ringing.get(0).get("title"));
        assertEquals("video call: “Stand-up?”", ringing.get(0).get("body"));
        assertThat((List<?>) ringing.get(0).get("actions"), contains("accept", "decline"));

        bobsPage.answerNotification(invitationId, "accept");

        assertEquals("accepted", alicesPage.awaitOutgoing(invitationId, "ACCEPTED"));
        push(event("invitation.accepted", invitationId));
        awaitNotifications(ringTag(invitationId), 0);
        assertThat(bobsPage.notifications("missed:" + invitationId), is(empty()));
    }

    @Test
    void itsDeclineDeclinesTheCallAndACanceledCallLeavesAMissedCallInsteadOfTheRing() {
        String declined = alicesPage.call(bob, 30, "Now?");
        push(event("invitation.received", declined));
        awaitNotifications(ringTag(declined), 1);
        bobsPage.answerNotification(declined, "decline");
        assertEquals("declined: declined", alicesPage.awaitOutgoing(declined, "DECLINED"));
        push(event("invitation.declined", declined));
        awaitNotifications(ringTag(declined), 0);

        String canceled = alicesPage.call(bob, 30, "Now?");
        push(event("invitation.received", canceled));
        awaitNotifications(ringTag(canceled), 1);
        alicesPage.cancel(canceled);
        alicesPage.awaitOutgoing(canceled, "CANCELED");
        push(event("invitation.canceled", canceled));
        awaitNotifications(ringTag(canceled), 0);
        List<Map<String, Object>> missed = awaitNotifications("missed:" + canceled, 1);
        assertEquals("Missed call from Alice Liddell", missed.get(0).get("title"));

        // a ring that arrives after its call ended does not ring
        push(event("invitation.received", canceled));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> bobsPage.notifications(ringTag(canceled)).isEmpty());
    }

    private static String ringTag(String invitationId) {
        return "ring:" + invitationId;
    }

    private List<Map<String, Object>> awaitNotifications(String tag, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> bobsPage.notifications(tag).size() == count);
        List<Map<String, Object>> shown = bobsPage.notifications(tag);
        assertThat(shown, hasSize(count));
        return shown;
    }

    /** The CloudEvent of that type Beckon recorded for bob (what his devices get pushed), once it is there. */
    private JsonNode event(String type, String invitationId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> RedisInspector.events(bob).stream()
                .filter(e -> type.equals(e.path("type").asText()) && invitationId.equals(e.at("/data/invitationId").asText()))
                .findFirst().orElse(null), event -> event != null);
    }

    /** Hands a push to bob's service worker as his browser's push service would. */
    private void push(JsonNode cloudEvent) {
        bobsBrowser.executeCdpCommand("ServiceWorker.deliverPushMessage",
                Map.of("origin", origin(), "registrationId", registrationId(), "data", cloudEvent.toString()));
    }

    private String registrationId;

    /** Chromium numbers registrations from 0 in a profile; the console's is the only one in this fresh profile. */
    private String registrationId() {
        if (registrationId == null) {
            bobsBrowser.executeCdpCommand("ServiceWorker.enable", Map.of());
            for (int id = 0; id < 10 && registrationId == null; id++) {
                try {
                    bobsBrowser.executeCdpCommand("ServiceWorker.deliverPushMessage",
                            Map.of("origin", origin(), "registrationId", Integer.toString(id), "data", "{}"));
                    registrationId = Integer.toString(id);
                } catch (RuntimeException notThisOne) {
                    // no registration with this id
                }
            }
        }
        if (registrationId == null) {
            throw new AssertionError("no service worker registration in bob's browser");
        }
        return registrationId;
    }

    private String origin() {
        return console.getProtocol() + "://" + console.getHost() + ":" + console.getPort();
    }
}
