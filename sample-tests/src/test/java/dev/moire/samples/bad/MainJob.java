package dev.moire.samples.bad;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The main job ({@code ./mvnw -B -Pmain-job verify}): runs every known-bad sample for real, with
 * the store and the report where a user finds them ({@code target/moire/} at the top of the
 * checkout), and succeeds when each failed with its expected finding.
 *
 * <p>sample-tests-plain runs it again over its plain-JDK stories, with moire-agent attached: the
 * system properties {@code moire.main-job.samples} (class names, comma-separated), {@code
 * moire.main-job.title} and {@code moire.main-job.append} (add to the store and report the first
 * run wrote, rather than start them afresh) say so.
 */
final class MainJob {
  @Test
  @Timeout(300)
  void runTheKnownBadSamples() {
    Path out = Path.of(System.getProperty("moire.main-job.dir", "target/moire")).toAbsolutePath();
    if (!Boolean.getBoolean("moire.main-job.append")) {
      clean(out);
    }
    String title = System.getProperty("moire.main-job.title", "known-bad samples");
    Map<String, Instant> started = new ConcurrentHashMap<>();
    Map<Class<?>, KnownBadSamples.Outcome> outcomes = new ConcurrentHashMap<>();
    List<Class<?>> samples = samples();
    LauncherDiscoveryRequestBuilder request =
        LauncherDiscoveryRequestBuilder.request()
            .configurationParameter("moire.store", out.resolve("moire.db").toString())
            .configurationParameter("moire.report.dir", out.resolve("report").toString());
    samples.forEach(c -> request.selectors(selectClass(c)));
    LauncherDiscoveryRequest discovery = request.build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        discovery,
        new TestExecutionListener() {
          @Override
          public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
              started.put(id.getUniqueId(), Instant.now());
            }
          }

          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
              return;
            }
            Class<?> sample =
                samples.stream()
                    .filter(c -> id.getUniqueId().contains("[class:" + c.getName() + "]"))
                    .findFirst()
                    .orElseThrow();
            outcomes.put(
                sample,
                new KnownBadSamples.Outcome(
                    sample,
                    result.getThrowable(),
                    Duration.between(started.get(id.getUniqueId()), Instant.now())));
          }
        });
    List<KnownBadSamples.Outcome> all = new ArrayList<>(outcomes.values());
    all.sort(Comparator.comparing(o -> o.sample().getSimpleName()));
    long expected = all.stream().filter(KnownBadSamples.Outcome::asExpected).count();
    StringBuilder b = new StringBuilder("\nmoire main job: ");
    b.append(samples.size()).append(' ').append(title).append(", ");
    b.append(
        expected == samples.size()
            ? "each failed as expected"
            : (samples.size() - expected) + " did not fail as expected");
    for (KnownBadSamples.Outcome o : all) {
      b.append(
          String.format(
              "%n  %-4s %-31s %-15s %5d ms%n         %s",
              o.asExpected() ? "ok" : "BAD",
              o.sample().getSimpleName(),
              o.expected().finding().wireName(),
              o.took().toMillis(),
              o.firstLine()));
    }
    b.append("\n  store:  ").append(out.resolve("moire.db"));
    b.append("\n  report: ").append(out.resolve("report").resolve("index.html")).append('\n');
    System.out.println(b);
    if (expected != samples.size() || all.size() != samples.size()) {
      throw new AssertionError("some known-bad samples did not fail as expected:" + b);
    }
    if (!Files.exists(out.resolve("report").resolve("index.html"))) {
      throw new AssertionError("no report at " + out.resolve("report").resolve("index.html"));
    }
    // The Markdown summary beside the report, for CI to print or attach as its job summary.
    Path summary = out.resolve("report").resolve(dev.moire.report.MoireReport.SUMMARY);
    if (!Files.exists(summary)) {
      throw new AssertionError("no summary at " + summary);
    }
    try {
      System.out.println("moire summary (" + summary + "):\n\n" + Files.readString(summary));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + summary, e);
    }
  }

  /** The samples to run: those named by {@code moire.main-job.samples}, or the known-bad ones. */
  private static List<Class<?>> samples() {
    String named = System.getProperty("moire.main-job.samples", "");
    if (named.isBlank()) {
      return KnownBadSamples.all();
    }
    List<Class<?>> out = new ArrayList<>();
    for (String name : named.split(",")) {
      try {
        out.add(Class.forName(name.strip()));
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException("moire.main-job.samples names no class: " + name, e);
      }
    }
    return out;
  }

  private static void clean(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the main job's output " + out, e);
    }
  }
}
