package io.wharf.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.AuthConfig;
import io.wharf.http.TestRegistry;
import io.wharf.testing.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real headless Chromium against a running registry with users: log in, search, open an image, copy
 * a pull command, delete a tag, collect garbage and see the usage drop; a hostile annotation stays text; the pages
 * fit a phone's width. A screenshot of each page is written to {@code target/ui-screenshots/}.
 */
class UiBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SHOTS = Path.of("target", "ui-screenshots");

    @TempDir
    Path root;
    @TempDir
    Path files;
    @TempDir
    Path profile;

    @Test
    void aUserLogsIn_browses_copiesAPullCommand_deletesATag_andSeesTheSpaceFreedByGc() throws Exception {
        AuthConfig users = UiApiTest.users(files);
        try (TestRegistry r = TestRegistry.start(root, c -> UiApiTest.noGrace().apply(c).withAuth(users));
                Chromium browser = Chromium.start(profile, 1280, 900)) {
            r.login("alice", "alice-password");
            UiFixture.Pushed pushed = UiFixture.push(r);
            String origin = "http://127.0.0.1:" + r.base().getPort();
            String host = "127.0.0.1:" + r.base().getPort();
            browser.browserCommand("Browser.grantPermissions", Map.of("origin", origin,
                    "permissions", java.util.List.of("clipboardReadWrite", "clipboardSanitizedWrite")));

            browser.navigate(origin + "/ui/");
            browser.waitFor("document.querySelector('#login-form')", WAIT);
            browser.screenshot(SHOTS.resolve("login.png"));
            browser.type("#username", "alice");
            browser.type("#password", "wrong");
            browser.click("#login-form button[type=submit]");
            browser.waitFor("document.querySelector('#login-error').textContent.includes('Wrong')", WAIT);
            browser.type("#password", "alice-password");
            browser.click("#login-form button[type=submit]");
            browser.waitFor("document.querySelector('#user') && document.querySelector('#user').textContent === 'alice'",
                    WAIT);
            browser.waitFor("document.querySelectorAll('tr.repo').length === 4", WAIT);
            browser.screenshot(SHOTS.resolve("repositories.png"));
            assertThat(browser.eval("document.cookie").asText()).doesNotContain("wharf_session");

            browser.type("#search", "lib");
            browser.waitFor("document.querySelectorAll('tr.repo').length === 1", WAIT);
            assertThat(browser.eval("document.querySelector('tr.repo a').textContent").asText()).isEqualTo("team/lib");

            browser.eval("location.hash = '#/r/team/app'");
            browser.waitFor("document.querySelector('#repo-name') && document.querySelectorAll('tr.tag').length === 3",
                    WAIT);
            browser.screenshot(SHOTS.resolve("repository.png"));
            browser.click("#pull-commands button.copy");
            browser.waitFor("!document.querySelector('#toast').hidden", WAIT);
            assertThat(browser.eval("navigator.clipboard.readText()").asText())
                    .isEqualTo("docker pull " + host + "/team/app:multi");

            browser.click("tr.tag[data-tag='v1'] a.tag-link");
            browser.waitFor("document.querySelector('#image-digest')", WAIT);
            assertThat(browser.eval("document.querySelector('#image-digest').textContent").asText())
                    .isEqualTo(pushed.appV1().toString());
            assertThat(browser.eval("document.querySelectorAll('tr.layer').length").asInt()).isEqualTo(2);
            assertThat(browser.eval("document.querySelector('tr.referrer').textContent").asText())
                    .contains(UiFixture.SIGNATURE).contains(pushed.signature().toString());
            assertThat(browser.eval("document.querySelector('tr.history').textContent").asText())
                    .contains("RUN make one");
            browser.screenshot(SHOTS.resolve("image.png"));

            browser.eval("location.hash = '#/storage'");
            browser.waitFor("document.querySelector(\"tr.usage[data-repository='team/app'] .usage-bytes\")", WAIT);
            browser.screenshot(SHOTS.resolve("storage.png"));
            String before = browser.eval(
                    "document.querySelector(\"tr.usage[data-repository='team/app'] .usage-bytes\").textContent").asText();

            browser.eval("location.hash = '#/r/team/app'");
            browser.waitFor("document.querySelector(\"tr.tag[data-tag='v2'] .delete-tag\")", WAIT);
            browser.click("tr.tag[data-tag='v2'] .delete-tag");
            browser.waitFor("document.querySelectorAll('tr.tag').length === 2", WAIT);
            assertThat(browser.dialogs()).singleElement().asString().contains("Delete tag v2");
            assertThat(r.get("/v2/team/app/manifests/v2").statusCode()).isEqualTo(404);

            browser.eval("location.hash = '#/storage'");
            browser.waitFor("document.querySelector('#gc-run')", WAIT);
            browser.eval("document.querySelector('#gc-untagged').checked = true");
            browser.click("#gc-run");
            browser.waitFor("document.querySelector('#gc-last') && document.querySelector('#gc-last').textContent"
                    + ".includes('freed') && !document.querySelector('#gc-running')", WAIT);
            browser.waitFor("document.querySelector(\"tr.usage[data-repository='team/app'] .usage-bytes\").textContent"
                    + " !== " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(before), WAIT);
            browser.screenshot(SHOTS.resolve("storage-after-gc.png"));
            assertThat(r.get("/v2/team/app/manifests/v1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void markupInAnnotationsAndHistory_isShownAsText_andNeverRuns() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, UiApiTest.noGrace());
                Chromium browser = Chromium.start(profile, 1280, 900)) {
            UiFixture.push(r);
            String origin = "http://127.0.0.1:" + r.base().getPort();
            browser.navigate(origin + "/ui/#/m/evil%2Fx@latest");
            browser.waitFor("document.querySelector('#image-digest') && document.querySelector('tr.annotation')", WAIT);
            browser.screenshot(SHOTS.resolve("hostile-image.png"));

            assertThat(browser.eval("typeof window.__xss").asText()).isEqualTo("undefined");
            assertThat(browser.eval("document.querySelector('tr.annotation').textContent").asText())
                    .contains(UiFixture.HOSTILE);
            assertThat(browser.eval("document.querySelector('tr.history').textContent").asText())
                    .contains(UiFixture.HOSTILE);
            assertThat(browser.eval("document.querySelectorAll('main script, main img').length").asInt()).isZero();
            assertThat(browser.dialogs()).isEmpty();
        }
    }

    @Test
    void thePagesFitAPhonesWidth() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, UiApiTest.noGrace());
                Chromium browser = Chromium.start(profile, 390, 844)) {
            UiFixture.push(r);
            browser.command("Emulation.setDeviceMetricsOverride", Map.of("width", 390, "height", 844,
                    "deviceScaleFactor", 2, "mobile", true));
            String origin = "http://127.0.0.1:" + r.base().getPort();
            Map<String, String> pages = new java.util.LinkedHashMap<>();
            pages.put("#/", "tr.repo");
            pages.put("#/r/team/app", "tr.tag");
            pages.put("#/m/team%2Fapp@v1", "#image-digest");
            pages.put("#/storage", "tr.usage");
            for (var entry : pages.entrySet()) {
                String page = entry.getKey();
                browser.navigate(origin + "/ui/" + page);
                browser.waitFor("document.querySelector(\"" + entry.getValue() + "\")", WAIT);
                assertThat(browser.eval("document.documentElement.scrollWidth <= window.innerWidth").asBoolean())
                        .as("%s fits 390 px", page).isTrue();
            }
            browser.navigate(origin + "/ui/#/");
            browser.waitFor("document.querySelectorAll('tr.repo').length === 4", WAIT);
            browser.screenshot(SHOTS.resolve("repositories-phone.png"));
        }
    }
}
