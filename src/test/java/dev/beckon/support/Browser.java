package dev.beckon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through ChromeDriver (Debian's {@code chromium} and
 * {@code chromium-driver}; other paths with {@code -Dbrowser.chromium=} and
 * {@code -Dwebdriver.chrome.driver=}). Each browser has a profile of its own, like a separate device.
 * Without Chromium the browser tests are reported as skipped, unless
 * {@code -Dbrowser.tests=required} (CI) turns that into a failure.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    public static ChromeDriver open() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "Browser tests need Chromium and ChromeDriver (apt-get install chromium chromium-driver); looked for "
                + CHROMIUM + " and " + CHROMEDRIVER;
        if (!installed && "required".equals(System.getProperty("browser.tests"))) {
            throw new IllegalStateException(missing);
        }
        Assumptions.assumeTrue(installed, missing);
        try {
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    // no first-run work and no calls home: the tests run on a closed network
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-quic", "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                            "--user-data-dir=" + Files.createTempDirectory("beckon-chromium"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            return driver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
