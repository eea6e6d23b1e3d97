package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.store.RunIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real headless Chromium (Debian's chromium and chromedriver, which {@code .ci/run}
 * installs). Skipped, with a message saying why, only where they are not installed.
 */
@Timeout(120)
final class ReportBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  static WebDriver browser;
  static Path page;
  static Path hostilePage;
  static Path plainPage;

  @BeforeAll
  static void startBrowser_andWriteTwoReports() throws Exception {
    Assumptions.assumeTrue(
        WebDriver.available(),
        "SKIPPED: no /usr/bin/chromium or /usr/bin/chromedriver; .ci/run installs Debian's"
            + " chromium and chromium-driver");
    Path db = dir.resolve("moire.db");
    long id = Deadlocks.store(db, "accounts", "audit");
    Path hostileDb = dir.resolve("hostile.db");
    long hostileId = Deadlocks.store(hostileDb, "<img src=x onerror=alert(1)>", "audit");
    try (MoireStore store = MoireStore.open(db)) {
      MoireReport.refresh(store, dir.resolve("report"));
    }
    try (MoireStore store = MoireStore.open(hostileDb)) {
      MoireReport.refresh(store, dir.resolve("hostile"));
    }
    Path plainDb = dir.resolve("plain.db");
    long plainId = Deadlocks.storePlain(plainDb);
    try (MoireStore store = MoireStore.open(plainDb)) {
      MoireReport.refresh(store, dir.resolve("plain"));
    }
    plainPage = MoireReport.pageOf(dir.resolve("plain"), plainId);
    page = MoireReport.pageOf(dir.resolve("report"), id);
    hostilePage = MoireReport.pageOf(dir.resolve("hostile"), hostileId);
    Files.createDirectories(dir.resolve("profile"));
    browser = new WebDriver(dir.resolve("profile"));
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private static JsonNode ready(Path file) throws Exception {
    browser.open(file);
    return browser.execute("return document.body.getAttribute('data-ready');");
  }

  @Test
  void theDeadlockPage_loadsCleanly_showsBothLocksAndTasks_andMarksTheCycle() throws Exception {
    assertThat(ready(page).asText()).isEqualTo("true");
    List<String> console = browser.consoleLog();
    assertThat(console).noneMatch(line -> line.startsWith("SEVERE") || line.startsWith("WARNING"));
    JsonNode shown =
        browser.execute(
            "return Array.from(document.querySelectorAll('g.node:not(.hidden)'))"
                + ".map(g => g.getAttribute('data-name') + ' ' + g.getAttribute('class'));");
    List<String> nodes = new java.util.ArrayList<>();
    shown.forEach(n -> nodes.add(n.asText()));
    assertThat(nodes)
        .anyMatch(n -> n.startsWith("accounts node kind-lock") && n.contains("finding"))
        .anyMatch(n -> n.startsWith("audit node kind-lock") && n.contains("finding"))
        .anyMatch(n -> n.startsWith("worker-1 node kind-thread") && n.contains("waiting"))
        .anyMatch(n -> n.startsWith("worker-2 node kind-thread") && n.contains("waiting"));
    assertThat(
            browser
                .execute(
                    "return document.querySelectorAll('polyline.edge.finding:not(.hidden)').length;")
                .asInt())
        .as("the cycle's edges, in red")
        .isEqualTo(4);
    String explanation =
        browser
            .execute("return document.querySelector('.finding.certain .explanation').textContent;")
            .asText();
    assertThat(explanation)
        .matches(
            "thread 'worker-[12]' waits on lock '(accounts|audit)' \\(Deadlocks.java:\\d+\\),"
                + " held by thread 'worker-[12]', which waits on lock '(accounts|audit)'"
                + " \\(Deadlocks.java:\\d+\\), held by thread 'worker-[12]'");
    browser.screenshot(SCREENSHOTS.resolve("deadlock-report.png"));
    assertThat(Files.size(SCREENSHOTS.resolve("deadlock-report.png"))).isGreaterThan(10_000);
  }

  @Test
  void movingTheTimelineBeforeTheDeadlock_hidesItsWaits() throws Exception {
    ready(page);
    String visibleWaits =
        "return document.querySelectorAll('polyline.kind-waiting_on:not(.hidden)').length;";
    assertThat(browser.execute(visibleWaits).asInt()).isEqualTo(2);
    long before =
        browser
            .execute(
                "const d = JSON.parse(document.getElementById('moire-data').textContent);"
                    + "return Math.min(...d.edges.filter(e => e.kind === 'waiting_on')"
                    + ".map(e => e.alive[0][0])) - 1;")
            .asLong();
    browser.execute(
        "const s = document.getElementById('timeline'); s.value = arguments[0];"
            + "s.dispatchEvent(new Event('input'));",
        before);
    assertThat(browser.execute(visibleWaits).asInt()).isZero();
    assertThat(
            browser
                .execute("return document.querySelectorAll('g.node:not(.hidden)').length;")
                .asInt())
        .as("both locks and both threads still exist then")
        .isGreaterThanOrEqualTo(4);
    browser.execute(
        "const s = document.getElementById('timeline'); s.value = s.max;"
            + "s.dispatchEvent(new Event('input'));");
    assertThat(browser.execute(visibleWaits).asInt()).isEqualTo(2);
  }

  @Test
  void locksSeenByTheJvm_areDrawnApartFromTrackedOnes() throws Exception {
    assertThat(ready(plainPage).asText()).isEqualTo("true");
    JsonNode observed =
        browser.execute(
            "return Array.from(document.querySelectorAll('g.node.observed.kind-lock'))"
                + ".map(g => [g.getAttribute('data-name'), g.querySelector('text.kind').textContent,"
                + " getComputedStyle(g.querySelector('rect')).strokeDasharray]);");
    assertThat(observed.size()).isEqualTo(2);
    for (JsonNode n : observed) {
      assertThat(n.get(0).asText()).startsWith("monitor Object@");
      assertThat(n.get(1).asText()).isEqualTo("lock (seen by the JVM)");
      assertThat(n.get(2).asText()).isNotIn("none", "");
    }
    JsonNode holds =
        browser.execute(
            "return Array.from(document.querySelectorAll('#threads tr')).slice(1)"
                + ".map(r => [r.cells[0].textContent, r.cells[4].innerText]);");
    assertThat(holds.size()).isEqualTo(2);
    for (JsonNode row : holds) {
      assertThat(row.get(0).asText()).startsWith("plain-");
      assertThat(row.get(1).asText())
          .as("each thread's held monitor, at the synchronized statement that took it")
          .matches("monitor Object@[0-9a-f]+ since Deadlocks\\.java:" + Deadlocks.takesLine());
    }
    browser.screenshot(SCREENSHOTS.resolve("plain-monitor-deadlock.png"));
    assertThat(ready(page).asText()).isEqualTo("true");
    assertThat(
            browser.execute("return document.querySelectorAll('g.node.observed').length;").asInt())
        .as("tracked locks are not drawn as observed")
        .isZero();
  }

  @Test
  void aHostileEntityName_rendersAsText() throws Exception {
    assertThat(ready(hostilePage).asText()).isEqualTo("true"); // an alert would fail this call
    assertThat(browser.execute("return document.querySelectorAll('img').length;").asInt()).isZero();
    assertThat(
            browser
                .execute(
                    "return Array.from(document.querySelectorAll('g.node'))"
                        + ".some(g => g.getAttribute('data-name') === arguments[0]);",
                    "<img src=x onerror=alert(1)>")
                .asBoolean())
        .isTrue();
    assertThat(
            browser.execute("return document.querySelector('.explanation').textContent;").asText())
        .contains("lock '<img src=x onerror=alert(1)>'");
    assertThat(browser.consoleLog()).noneMatch(line -> line.startsWith("SEVERE"));
    browser.screenshot(SCREENSHOTS.resolve("hostile-name.png"));
  }

  @Test
  void theIndex_listsTheFailureFirst_withItsFinding() throws Exception {
    browser.open(dir.resolve("report").resolve("index.html"));
    String row =
        browser
            .execute(
                "return document.querySelector('.run.latest table.tests tbody tr').textContent;")
            .asText();
    assertThat(row).startsWith("BankTest > transfer()deadlockdeadlock_cycle (certain): thread");
    assertThat(browser.consoleLog()).noneMatch(line -> line.startsWith("SEVERE"));
  }

  @Test
  void threeRunsIntoOneStore_showThreeRuns_theLatestFirstAndOpen() throws Exception {
    Path db = dir.resolve("three-runs.db");
    String[] runs = {"first", "second", "third"};
    for (int i = 0; i < runs.length; i++) {
      Deadlocks.store(
          db,
          "accounts-" + runs[i],
          "audit-" + runs[i],
          RunIdentity.of(runs[i], Optional.of(String.valueOf(i + 1).repeat(40))));
    }
    Path report = dir.resolve("three-runs");
    try (MoireStore store = MoireStore.openReadOnly(db)) {
      MoireReport.refresh(store, report);
    }
    browser.open(report.resolve("index.html"));
    JsonNode headings =
        browser.execute(
            "return Array.from(document.querySelectorAll('.run-heading'))"
                + ".map(h => h.textContent);");
    assertThat(headings).hasSize(3);
    assertThat(headings.get(0).asText()).startsWith("Latest run, started ");
    assertThat(headings.get(0).asText()).contains(" · commit 333333333333 · ");
    assertThat(headings.get(1).asText()).startsWith("Earlier run, started ");
    // Only the latest run's failures show; the earlier ones are folded away.
    JsonNode visible =
        browser.execute(
            "return Array.from(document.querySelectorAll('td.summary'))"
                + ".filter(td => td.checkVisibility()).map(td => td.textContent);");
    assertThat(visible).hasSize(1);
    assertThat(visible.get(0).asText()).contains("accounts-third");
    JsonNode folded =
        browser.execute(
            "return Array.from(document.querySelectorAll('details.run'))"
                + ".map(d => d.open + ' ' + d.textContent.includes('accounts-second')"
                + " + ' ' + d.textContent.includes('accounts-first'));");
    assertThat(folded.get(0).asText()).isEqualTo("false true false");
    assertThat(folded.get(1).asText()).isEqualTo("false false true");
    // And the summary CI prints is the latest run's.
    assertThat(Files.readString(report.resolve(MoireReport.SUMMARY)))
        .contains("accounts-third")
        .doesNotContain("accounts-second", "accounts-first");
  }
}
