package dev.beckon.console;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console as one user sees it in their browser: what they can do and what they can read. */
final class ConsolePage {

    private final WebDriver browser;
    private final WebDriverWait wait;

    ConsolePage(WebDriver browser) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    ConsolePage open(URL console) {
        browser.get(console.toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        return this;
    }

    ConsolePage signIn(String userId, String token) {
        type(By.id("user-id"), userId);
        type(By.id("user-token"), token);
        browser.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        return this;
    }

    /** Signed in, with the event stream open. */
    ConsolePage awaitOnline() {
        wait.until(ExpectedConditions.attributeToBe(By.id("stream-status"), "data-status", "open"));
        return this;
    }

    String signedInAs() {
        return browser.findElement(By.id("me")).getText();
    }

    /** Places a call and returns the invitation id of each callee, as the outgoing panel shows them. */
    String call(String callee, int ringSeconds, String message) {
        return call(callee, ringSeconds, message, false);
    }

    /** Places a call; {@code rejectIfBusy} asks Beckon not to ring a callee who is busy. */
    String call(String callee, int ringSeconds, String message, boolean rejectIfBusy) {
        WebElement rejectBusy = browser.findElement(By.id("call-reject-busy"));
        if (rejectBusy.isSelected() != rejectIfBusy) {
            rejectBusy.click();
        }
        type(By.id("callees"), callee);
        type(By.id("ring-timeout"), Integer.toString(ringSeconds));
        type(By.id("call-message"), message);
        int before = outgoingCalls().size();
        browser.findElement(By.cssSelector("#call-form button[type=submit]")).click();
        wait.until(driver -> outgoingCalls().size() > before);
        return outgoingCalls().get(0).getAttribute("data-invitation");
    }

    void placeCallExpectingAnError(String callee) {
        type(By.id("callees"), callee);
        browser.findElement(By.cssSelector("#call-form button[type=submit]")).click();
    }

    List<WebElement> outgoingCalls() {
        return browser.findElements(By.cssSelector("#outgoing li[data-invitation]"));
    }

    WebElement outgoing(String invitationId) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#outgoing li[data-invitation='" + invitationId + "']")));
    }

    /** Waits until the outgoing call shows {@code state}, and returns its label. */
    String awaitOutgoing(String invitationId, String state) {
        By call = By.cssSelector("#outgoing li[data-invitation='" + invitationId + "']");
        wait.until(ExpectedConditions.attributeToBe(call, "data-state", state));
        return browser.findElement(call).findElement(By.className("state")).getText();
    }

    WebElement awaitIncoming(String invitationId) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#incoming li[data-invitation='" + invitationId + "']")));
    }

    void awaitNoIncoming(String invitationId) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#incoming li[data-invitation='" + invitationId + "']")));
    }

    boolean isRinging() {
        return browser.findElement(By.id("incoming")).getAttribute("class").contains("ringing");
    }

    void accept(String invitationId) {
        awaitIncoming(invitationId).findElement(By.className("accept")).click();
    }

    void decline(String invitationId, String reason, String message) {
        WebElement call = awaitIncoming(invitationId);
        new Select(call.findElement(By.className("reason"))).selectByValue(reason);
        call.findElement(By.className("response-message")).sendKeys(message);
        call.findElement(By.className("decline")).click();
    }

    void cancel(String invitationId) {
        outgoing(invitationId).findElement(By.className("cancel")).click();
    }

    /** Waits until the conference panel lists {@code userId} with {@code status}. */
    void awaitParticipant(String userId, String status) {
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#conference li[data-user='" + userId + "']"), "data-status", status));
    }

    void awaitOnlinePresence(String userId) {
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#contacts li[data-user='" + userId + "']"), "data-online", "true"));
    }

    /** Waits for the history entry of the invitation in {@code state}; returns its outcome text. */
    WebElement awaitHistory(String invitationId, String state) {
        By entry = By.cssSelector("#history li[data-invitation='" + invitationId + "']");
        wait.until(ExpectedConditions.attributeToBe(entry, "data-state", state));
        return browser.findElement(entry);
    }

    /** Waits for an error with this code in the error list; returns its text. */
    String awaitError(String code) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#errors li[data-error='" + code + "']"))).getText();
    }

    /** Clicks "Enable notifications" and waits until enabling settled; returns where it stands. */
    String enableNotifications() {
        WebElement control = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notifications")));
        control.click();
        // a browser without a push service gives up on subscribing after 10 s
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(driver -> !List.of("off", "working").contains(control.getAttribute("data-status")));
        return control.getAttribute("data-status");
    }

    /** The console's service worker, once active: its scope. */
    String awaitServiceWorker() {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.serviceWorker.ready.then(r => done(r.active ? r.scope : null), e => done(null));");
    }

    /** The notifications the service worker shows with this tag: title, body and action names of each. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notifications(String tag) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.serviceWorker.ready.then(r => r.getNotifications({ tag: arguments[0] }))"
                        + ".then(list => done(list.map(n => ({ title: n.title, body: n.body, tag: n.tag,"
                        + " actions: n.actions.map(a => a.action) }))), e => done([String(e)]));", tag);
    }

    /** Answers a ringing notification as its Accept or Decline button does, by message to the service worker. */
    void answerNotification(String invitationId, String action) {
        ((JavascriptExecutor) browser).executeScript(
                "navigator.serviceWorker.controller ? navigator.serviceWorker.controller.postMessage(arguments[0])"
                        + " : navigator.serviceWorker.ready.then(r => r.active.postMessage(arguments[0]));",
                Map.of("type", "answer", "invitationId", invitationId, "action", action));
    }

    private void type(By field, String text) {
        WebElement input = browser.findElement(field);
        input.clear();
        input.sendKeys(text);
    }
}
