package dev.beckon.console;

import static dev.beckon.support.Api.conference;
import static dev.beckon.support.Api.invitationOf;
import static dev.beckon.support.Api.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.beckon.support.BackingServices;
import dev.beckon.support.Browser;
import dev.beckon.support.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser: two headless Chromium instances are two users on their own
 * devices, each signed in with a token as the application would issue it.
 */
@QuarkusTest
@WithTestResource(BackingServices.class)
class ConsoleBrowserTest {

    private static WebDriver alicesBrowser;
    private static WebDriver bobsBrowser;

    @TestHTTPResource("/console/")
    URL console;

    private String alice;
    private String bob;
    private ConsolePage alicesPage;
    private ConsolePage bobsPage;

    @BeforeAll
    static void openBrowsers() {
        alicesBrowser = Browser.open();
        bobsBrowser = Browser.open();
    }

    @AfterAll
    static void closeBrowsers() {
        if (alicesBrowser != null) {
            alicesBrowser.quit();
        }
        if (bobsBrowser != null) {
            bobsBrowser.quit();
        }
    }

    @BeforeEach
    void signBothIn() {
        alice = unique("alice");
        bob = unique("bob");
        alicesPage = new ConsolePage(alicesBrowser).open(console).signIn(alice, Tokens.user(alice, "Alice Liddell", null)).awaitOnline();
        bobsPage = new ConsolePage(bobsBrowser).open(console).signIn(bob, Tokens.user(bob, "Bob Stone", null)).awaitOnline();
    }

    @Test
    void aliceCallsBobHisPageRingsHeAcceptsAndHerPageShowsIt() {
        assertThat(alicesPage.signedInAs(), containsString("Alice Liddell"));

        String invitationId = alicesPage.call(bob, 30, "Stand-up?");

        WebElement ringing = bobsPage.awaitIncoming(invitationId);
        assertThat(ringing.findElement(By.className("caller")).getText(), containsString("Alice Liddell"));
        assertEquals("video call", ringing.findElement(By.className("call-type")).getText());
        assertEquals("Stand-up?", ringing.findElement(By.className("message")).getText());
        assertTrue(bobsPage.isRinging());
        assertEquals("ringing", alicesPage.awaitOutgoing(invitationId, "RINGING"));
        alicesPage.awaitOnlinePresence(bob);

        bobsPage.accept(invitationId);

        assertEquals("accepted", alicesPage.awaitOutgoing(invitationId, "ACCEPTED"));
        bobsPage.awaitNoIncoming(invitationId);
        assertTrue(!bobsPage.isRinging());
        alicesPage.awaitParticipant(bob, "CONNECTED");
        bobsPage.awaitParticipant(alice, "CONNECTED");
        bobsPage.awaitHistory(invitationId, "ACCEPTED");
    }

    @Test
    void aCallNobodyAnswersBecomesAMissedCallOnBothPages() {
        String invitationId = alicesPage.call(bob, 5, "Are you there?");
        bobsPage.awaitIncoming(invitationId);

        // the ring timeout is 5 s; the sweeper declares it missed within a second after
        assertEquals("missed (no answer)", alicesPage.awaitOutgoing(invitationId, "EXPIRED"));
        bobsPage.awaitNoIncoming(invitationId);
        WebElement missed = bobsPage.awaitHistory(invitationId, "EXPIRED");
        assertThat(missed.getAttribute("class"), is("missed"));
        assertEquals("missed call", missed.findElement(By.className("outcome")).getText());
        assertEquals("no answer", alicesPage.awaitHistory(invitationId, "EXPIRED").findElement(By.className("outcome")).getText());
    }

    @Test
    void bobDeclinesAsBusyThenAliceCancelsHerNextCall() {
        String first = alicesPage.call(bob, 30, "Now?");
        bobsPage.decline(first, "busy", "in a meeting");
        assertEquals("declined: busy", alicesPage.awaitOutgoing(first, "DECLINED"));
        assertThat(alicesPage.outgoing(first).getText(), containsString("in a meeting"));

        String second = alicesPage.call(bob, 30, "Now?");
        bobsPage.awaitIncoming(second);
        alicesPage.cancel(second);
        assertEquals("canceled", alicesPage.awaitOutgoing(second, "CANCELED"));
        bobsPage.awaitNoIncoming(second);
    }

    @Test
    void aSecondCallWhileBobIsRingingIsCallWaitingAndACallerWhoWillNotWaitSeesBusy() {
        String carol = unique("carol");
        String fromCarol = invitationOf(conference(carol, Map.of(), bob), bob);
        bobsPage.awaitIncoming(fromCarol);

        String waiting = alicesPage.call(bob, 30, "Quick one?");
        WebElement second = bobsPage.awaitIncoming(waiting);
        assertEquals("call waiting", second.findElement(By.className("call-waiting")).getText());
        bobsPage.decline(waiting, "declined", "");
        alicesPage.awaitOutgoing(waiting, "DECLINED");

        String refused = alicesPage.call(bob, 30, "Now?", true);
        assertEquals("declined: busy", alicesPage.awaitOutgoing(refused, "DECLINED"));
        bobsPage.awaitNoIncoming(refused);
    }

    @Test
    void whatTheApiRefusesIsShownWithItsErrorCode() {
        alicesPage.placeCallExpectingAnError(alice);
        assertThat(alicesPage.awaitError("invalid_request"), containsString("createConference: 400 invalid_request"));

        ConsolePage stranger = new ConsolePage(bobsBrowser).open(console).signIn("mallory", Tokens.signedByAnotherKey("mallory"));
        assertThat(stranger.awaitError("unauthenticated"), containsString("401 unauthenticated"));
    }

    @Test
    void outsideDevModeThePageAsksForATokenInsteadOfMintingOne() {
        ConsolePage page = new ConsolePage(bobsBrowser).open(console).signIn(unique("carol"), "");
        assertThat(page.awaitError("no_dev_helper"), containsString("paste a token your backend signed"));
    }
}
