package dev.moire.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.DeadlockDetectedError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The README is true: each of its Java blocks is a marked region of a source in this package (so it
 * compiles, and runs in this build), what it says a block does is asserted here, and every other
 * block is a command the build runs or output the build checks.
 */
@Timeout(120)
final class ReadmeTest {
  static final Path README = Path.of("..", "README.md");
  static final Path HERE = Path.of("src", "test", "java", "dev", "moire", "samples", "readme");

  @TempDir Path dir;

  /** A fenced block of the README: its info string (java, bash, or none) and its text. */
  record Block(String info, String text) {}

  static List<Block> blocks() throws IOException {
    List<Block> out = new ArrayList<>();
    String info = null;
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(README)) {
      if (line.startsWith("```")) {
        if (info == null) {
          info = line.substring(3).trim();
          text.setLength(0);
        } else {
          out.add(new Block(info, text.toString()));
          info = null;
        }
      } else if (info != null) {
        text.append(line).append('\n');
      }
    }
    return out;
  }

  /** The user project's pom, which CI builds against the installed artifacts. */
  static final Path USER_POM = Path.of("..", "user-project", "pom.xml");

  /** The marked regions of the Java sources here, dedented, by name. */
  static Map<String, String> regions() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(HERE)) {
      for (Path f : files.sorted().toList()) {
        out.putAll(regions(f, "// readme:begin ", "// readme:end"));
      }
    }
    return out;
  }

  /** The regions of {@code file} between its begin and end markers, dedented, by name. */
  static Map<String, String> regions(Path file, String begin, String end) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    String name = null;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String t = line.trim();
      if (t.startsWith(begin)) {
        name = t.substring(begin.length()).replace("-->", "").trim();
        lines.clear();
      } else if (t.equals(end) && name != null) {
        out.put(name, dedent(lines));
        name = null;
      } else if (name != null) {
        lines.add(line);
      }
    }
    return out;
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return b.toString();
  }

  @Test
  void everyJavaBlock_isARegionOfASourceHere_andEveryRegionIsInTheReadme() throws IOException {
    List<String> java =
        blocks().stream().filter(b -> b.info().equals("java")).map(Block::text).toList();
    assertThat(java).containsExactlyInAnyOrderElementsOf(regions().values());
  }

  @Test
  void everyXmlBlock_isARegionOfTheUserProjectsPom_whichCiBuilds() throws IOException {
    List<String> xml =
        blocks().stream().filter(b -> b.info().equals("xml")).map(Block::text).toList();
    assertThat(xml)
        .containsExactlyElementsOf(
            regions(USER_POM, "<!-- readme:begin ", "<!-- readme:end -->").values());
  }

  @Test
  void everyOtherBlock_isACommandOrOutputTheBuildChecks() throws IOException {
    List<Block> others =
        blocks().stream().filter(b -> !b.info().equals("java") && !b.info().equals("xml")).toList();
    assertThat(others)
        .as("a new block needs a test here")
        .extracting(b -> b.info() + ":" + b.text().lines().findFirst().orElse(""))
        .containsExactly(
            "bash:./mvnw -B -Pmain-job verify   # the main job: run the known-bad samples,"
                + " leave target/moire/moire.db and target/moire/report/index.html",
            ":moire main job: 13 known-bad samples, each failed as expected",
            ":dev.moire.runtime.DeadlockDetectedError: moire found a deadlock: thread"
                + " 'transfer-1' waits on lock 'account bob' (TransferTest.java:"
                + lineOf("TransferTest.java", "to.lock.lock();")
                + "), held by thread 'transfer-2', which waits on lock 'account alice'"
                + " (TransferTest.java:"
                + lineOf("TransferTest.java", "to.lock.lock();")
                + "), held by thread 'transfer-1'",
            "bash:java -jar moire-report/target/moire-report.jar target/moire/moire.db [more.db"
                + " ...] --out target/moire/report",
            ":moire found a stall: every thread of the test is blocked and nothing has moved for 60"
                + " ms: 'main' WAITING waiting for thread 'copy-job-a' to end (CopyJobsStory.java:44);"
                + " 'copy-job-a' WAITING outside moire on"
                + " java.util.concurrent.Semaphore$NonfairSync@7f676e6b in Semaphore.acquire"
                + " (CopyJobs.java:22); 'copy-job-b' WAITING outside moire on"
                + " java.util.concurrent.Semaphore$NonfairSync@7f676e6b in Semaphore.acquire"
                + " (CopyJobs.java:22)",
            ":moire found a deadlock: thread 'copy-job-a' waits on semaphore 'CopyJobs.connections'"
                + " (CopyJobs.java:22), held by thread 'copy-job-a' and thread 'copy-job-b'; thread"
                + " 'copy-job-b' waits on semaphore 'CopyJobs.connections' (CopyJobs.java:22)");
    // The first: .ci/run runs both commands; the main job's output is KnownBadSamplesTest's;
    // the failure is checked below, the report command too; the two plain-JDK messages are
    // sample-tests-plain's (PlainStoriesTest, PlainStoriesWithoutTheAgentTest check them against
    // this README).
  }

  @Test
  void transferTest_failsInAboutATenthOfASecond_withTheMessageTheReadmeQuotes() throws Exception {
    long start = System.nanoTime();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .configurationParameter("moire.store", dir.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", dir.resolve("report").toString())
            .selectors(selectClass(TransferTest.class))
            .execute();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    List<Event> failed = results.testEvents().failed().list();
    assertThat(failed).hasSize(1);
    Throwable failure =
        failed
            .get(0)
            .getPayload(TestExecutionResult.class)
            .flatMap(TestExecutionResult::getThrowable)
            .orElseThrow();
    assertThat(failure).isInstanceOf(DeadlockDetectedError.class);
    assertThat(failure.getSuppressed())
        .as("at most the interrupt that woke join(), if it came before the threads unwound")
        .allMatch(
            s ->
                s instanceof InterruptedException
                    || s.getClass().getSimpleName().equals("Evidence"));
    String first = failure.toString().lines().findFirst().orElseThrow();
    assertThat(Files.readAllLines(README)).as("the README quotes it").contains(first);
    assertThat(took).as("well before the 10 s timeout").isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theReportCommand_ofTheReadme_writesTheReport() throws Exception {
    EngineTestKit.engine("junit-jupiter")
        .configurationParameter("moire.store", dir.resolve("moire.db").toString())
        .configurationParameter("moire.report.dir", dir.resolve("report").toString())
        .selectors(selectClass(TransferTest.class))
        .execute();
    Path jar = Path.of("..", "moire-report", "target", "moire-report.jar");
    assertThat(jar).as("built by the reactor before this module").exists();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString(),
                dir.resolve("moire.db").toString(),
                "--out",
                dir.resolve("again").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("moire-report: 1 snapshot from 1 store; open ");
    assertThat(dir.resolve("again").resolve("index.html")).exists();
  }

  static int lineOf(String file, String marker) {
    try {
      List<String> lines = Files.readAllLines(HERE.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(marker)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError(marker + " not in " + file);
  }
}
