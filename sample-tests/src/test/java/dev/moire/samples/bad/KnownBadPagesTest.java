package dev.moire.samples.bad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moire.report.WebDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each known-bad sample's page, as a person debugging the hang first sees it: in a real headless
 * Chromium (Debian's, which {@code .ci/run} installs) at 1400 × 900. Above the fold, the finding's
 * sentence and its entities, resources and threads, drawn at least 100 px wide; holds and waits
 * drawn in different line styles; the thread table within the page's width; "copy as text" giving a
 * summary with every thread of the finding. Each page's screenshot is written to {@code
 * target/screenshots/}; the README shows one.
 */
@Timeout(600)
final class KnownBadPagesTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final int WIDTH = 1400;
  static final int HEIGHT = 900;

  @TempDir static Path dir;
  static WebDriver browser;
  static final Map<Class<?>, KnownBadSamples.Outcome> OUTCOMES = new HashMap<>();

  /**
   * Runs every sample first, then starts the browser: a live chromedriver is a child process the
   * JVM's process reaper waits on, a thread that could act, and moire rightly gives no certain
   * verdict while one could.
   */
  @BeforeAll
  static void runTheSamples_thenStartTheBrowser() throws Exception {
    Assumptions.assumeTrue(
        WebDriver.available(),
        "SKIPPED: no /usr/bin/chromium or /usr/bin/chromedriver; .ci/run installs Debian's"
            + " chromium and chromium-driver");
    for (Class<?> sample : samples()) {
      OUTCOMES.put(sample, KnownBadSamples.run(sample, dir.resolve(sample.getSimpleName())));
    }
    Files.createDirectories(dir.resolve("profile"));
    browser = new WebDriver(dir.resolve("profile"));
    browser.viewport(WIDTH, HEIGHT);
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  static List<Class<?>> samples() {
    return KnownBadSamples.all();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void thePage_leadsWithTheFinding_drawnReadably_andCopiesAsText(Class<?> sample) throws Exception {
    Path out = dir.resolve(sample.getSimpleName());
    KnownBadSamples.Outcome outcome = OUTCOMES.get(sample);
    assertThat(outcome.failure()).as("%s fails", sample.getSimpleName()).isPresent();
    Path page = out.resolve("report").resolve("snapshot-1.html");
    assertThat(page).exists();
    browser.open(page);
    browser.viewport(WIDTH, HEIGHT);
    assertThat(browser.execute("return document.body.getAttribute('data-ready');").asText())
        .isEqualTo("true");
    assertThat(browser.consoleLog()).noneMatch(l -> l.startsWith("SEVERE"));
    JsonNode size = browser.execute("return [window.innerWidth, window.innerHeight];");
    assertThat(size.get(0).asInt()).isEqualTo(WIDTH);
    assertThat(size.get(1).asInt()).isEqualTo(HEIGHT);

    // The finding's sentence, above the fold.
    JsonNode lead =
        browser.execute(
            "const r = document.getElementById('lead').getBoundingClientRect();"
                + "return [r.top, r.bottom, document.querySelector('#lead .explanation')"
                + ".textContent];");
    assertThat(lead.get(0).asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(lead.get(1).asDouble()).isLessThanOrEqualTo(HEIGHT);
    assertThat(outcome.failure().get().getMessage()).contains(lead.get(2).asText());

    // The finding drawn first: every node of it inside the fold and at least 100 px wide.
    JsonNode nodes =
        browser.execute(
            "return Array.from(document.querySelectorAll('g.node:not(.hidden)')).map(g => {"
                + " const r = g.getBoundingClientRect();"
                + " return [g.getAttribute('data-name'), g.getAttribute('class'), r.left, r.top,"
                + " r.right, r.bottom, r.width]; });");
    assertThat(nodes.size()).as("nodes drawn on %s", sample.getSimpleName()).isPositive();
    boolean task = false;
    boolean resource = false;
    for (JsonNode n : nodes) {
      String what = n.get(0).asText() + " (" + n.get(1).asText() + ")";
      assertThat(n.get(6).asDouble()).as("width of %s", what).isGreaterThanOrEqualTo(100);
      assertThat(n.get(2).asDouble()).as("left of %s", what).isGreaterThanOrEqualTo(0);
      assertThat(n.get(3).asDouble()).as("top of %s", what).isGreaterThanOrEqualTo(0);
      assertThat(n.get(5).asDouble()).as("bottom of %s", what).isLessThanOrEqualTo(HEIGHT);
      String cls = n.get(1).asText();
      if (cls.contains("kind-thread") || cls.contains("kind-future")) {
        task = true;
      } else {
        resource = true;
      }
    }
    assertThat(task).as("a thread or task of the finding is drawn").isTrue();
    KnownBad known = sample.getAnnotation(KnownBad.class);
    if (known.finding() == dev.moire.model.findings.FindingKind.DEADLOCK_CYCLE) {
      assertThat(resource).as("a resource of the cycle is drawn").isTrue();
    }

    // Holds and waits: different line styles, not only colours.
    JsonNode styles =
        browser.execute(
            "const s = k => Array.from(document.querySelectorAll('polyline.edge.kind-' + k"
                + " + ':not(.hidden)')).map(e => getComputedStyle(e).strokeDasharray);"
                + "return [s('holds'), s('waiting_on')];");
    if (styles.get(0).size() > 0 && styles.get(1).size() > 0) {
      assertThat(styles.get(0).get(0).asText()).isNotEqualTo(styles.get(1).get(0).asText());
    }

    // The thread table stays within the page's width.
    JsonNode overflow =
        browser.execute(
            "const t = document.getElementById('threads');"
                + "return [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth,"
                + " window.innerWidth];");
    assertThat(overflow.get(0).asInt()).isLessThanOrEqualTo(overflow.get(1).asInt());
    assertThat(overflow.get(2).asInt()).isLessThanOrEqualTo(overflow.get(3).asInt());

    browser.screenshot(SCREENSHOTS.resolve(sample.getSimpleName() + ".png"));

    // "copy as text": a visible text area with the summary, every thread of the finding in it.
    browser.execute("document.getElementById('copy').click();");
    JsonNode copy =
        browser.execute(
            "const a = document.getElementById('copy-text');"
                + "return [!a.hidden && a.getClientRects().length > 0, a.value,"
                + " Array.from(document.querySelectorAll('#threads tr.in-finding td:first-child'))"
                + ".map(td => td.textContent.replace(' (virtual)', ''))];");
    assertThat(copy.get(0).asBoolean()).as("the text area is shown").isTrue();
    String text = copy.get(1).asText();
    assertThat(text).startsWith("moire: ").contains("threads:");
    List<String> inFinding = new ArrayList<>();
    copy.get(2).forEach(n -> inFinding.add(n.asText()));
    for (String thread : inFinding) {
      assertThat(text).contains("- '" + thread + "' ");
    }
  }
}
