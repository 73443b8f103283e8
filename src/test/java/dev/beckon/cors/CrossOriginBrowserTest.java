package dev.beckon.cors;

import static dev.beckon.support.Api.cancel;
import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Browser;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A web app on another origin (here http://localhost:port, while Beckon is called as
 * http://127.0.0.1:port) loads @beckon/client from Beckon and uses it in headless Chromium.
 */
@QuarkusTest
@TestProfile(CrossOriginBrowserTest.LocalhostAllowed.class)
@WithTestResource(BackingServices.class)
class CrossOriginBrowserTest {

    public static class LocalhostAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", "/http://localhost:[0-9]+/");
        }
    }

    private static WebDriver browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void openBrowser() {
        browser = Browser.open();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Opens a page of the app's origin and loads the client from Beckon's, as {@code window.beckon}. */
    private JavascriptExecutor appPage(String bob) {
        browser.get("http://localhost:" + root.getPort() + "/console/");
        JavascriptExecutor page = (JavascriptExecutor) browser;
        Object loaded = page.executeAsyncScript("""
                const [beckonUrl, token, done] = arguments;
                import(beckonUrl + '/client/index.js').then(module => {
                  window.beckon = module;
                  window.rang = { eventsource: [], fetch: [] };
                  window.clients = {};
                  for (const transport of ['eventsource', 'fetch']) {
                    const client = new module.BeckonClient({ baseUrl: beckonUrl, token, transport });
                    client.on('invitation.received', event => window.rang[transport].push(event.data.invitationId));
                    window.clients[transport] = client;
                  }
                  done('loaded');
                }, error => done('failed: ' + error));
                """, beckonOrigin(), Tokens.user(bob));
        assertEquals("loaded", loaded);
        return page;
    }

    private String beckonOrigin() {
        return "http://127.0.0.1:" + root.getPort();
    }

    @Test
    void theAppCallsFunctionsAndReadsBeckonsErrors() {
        String alice = unique("alice"), bob = unique("bob");
        JavascriptExecutor page = appPage(bob);
        String invitationId = invitationOf(conference(alice, bob), bob);
        cancel(alice, invitationId).then().statusCode(200);

        Object answer = page.executeAsyncScript("""
                const [invitationId, bob, done] = arguments;
                const client = window.clients.fetch;
                (async () => {
                  const presence = await client.presence({ userIds: [bob] });
                  const failure = await client.accept(invitationId).catch(error => error);
                  return { online: presence.presence[bob].online, isBeckonError: failure instanceof window.beckon.BeckonError,
                           status: failure.status, code: failure.code, state: failure.state };
                })().then(done, error => done('failed: ' + error));
                """, invitationId, bob);
        assertEquals(Map.of("online", true, "isBeckonError", true, "status", 409L, "code", "conflict", "state", "CANCELED"), answer);
    }

    @Test
    void theAppsEventStreamsRingOverBothTransports() {
        String alice = unique("alice"), bob = unique("bob");
        JavascriptExecutor page = appPage(bob);
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(page.executeAsyncScript("""
                const [bob, done] = arguments;
                window.clients.fetch.presence({ userIds: [bob] }).then(answer => done(answer.presence[bob].sessions), () => done(-1));
                """, bob)));

        String invitationId = invitationOf(conference(alice, bob), bob);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(
                Map.of("eventsource", List.of(invitationId), "fetch", List.of(invitationId)),
                page.executeScript("return window.rang;")));
        page.executeScript("Object.values(window.clients).forEach(client => client.close());");
    }
}
