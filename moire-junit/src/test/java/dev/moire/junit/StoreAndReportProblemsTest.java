package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.DeadlockDetectedError;
import dev.moire.runtime.store.MoireStore;
import dev.moire.runtime.sync.TrackedLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A store or report directory that cannot be used is said once, clearly, and never fails a test by
 * itself: another application's database is left alone, a damaged store is moved aside for a new
 * one, an unwritable report directory names no page and adds no failing container.
 */
@Timeout(120)
final class StoreAndReportProblemsTest {
  @TempDir Path dir;

  @MoireTracked
  static final class TwoDeadlocksTestCase {
    @Test
    void first() throws Exception {
      deadlock();
    }

    @Test
    void second() throws Exception {
      deadlock();
    }

    private static void deadlock() throws Exception {
      TrackedLock a = new TrackedLock("a");
      TrackedLock b = new TrackedLock("b");
      CountDownLatch both = new CountDownLatch(2);
      Thread one = new Thread(() -> cross(a, b, both), "one");
      Thread two = new Thread(() -> cross(b, a, both), "two");
      one.start();
      two.start();
      one.join();
      two.join();
    }

    private static void cross(TrackedLock first, TrackedLock then, CountDownLatch both) {
      first.lock();
      try {
        both.countDown();
        MoireExtensionTest.awaitQuietly(both);
        then.lock();
        then.unlock();
      } finally {
        first.unlock();
      }
    }
  }

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  /** Runs the two deadlocks with the given store and report directory, capturing stdout. */
  private EngineExecutionResults run(Path store, Path reportDir) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return EngineTestKit.engine("junit-jupiter")
          .configurationParameter("moire.store", store.toString())
          .configurationParameter("moire.report.dir", reportDir.toString())
          .selectors(selectClass(TwoDeadlocksTestCase.class))
          .execute();
    } finally {
      System.setOut(original);
    }
  }

  private String stdout() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static Stream<Throwable> failures(EngineExecutionResults results) {
    return results.testEvents().failed().stream()
        .map(
            e ->
                e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                    .orElseThrow());
  }

  @Test
  void anotherApplicationsDatabase_isSaidOnce_andLeftAlone_andTheTestsFailForTheirDeadlocks()
      throws Exception {
    Path shop = dir.resolve("shop.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + shop);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }
    byte[] before = Files.readAllBytes(shop);
    EngineExecutionResults results = run(shop, dir.resolve("report"));
    assertThat(results.containerEvents().failed().count()).as("no phantom failure").isZero();
    assertThat(failures(results))
        .hasSize(2)
        .allSatisfy(
            f ->
                assertThat(f)
                    .isInstanceOf(DeadlockDetectedError.class)
                    .hasMessageContaining("moire could not store the snapshot")
                    .hasMessageContaining("not a moire store"));
    assertThat(stdout().lines().filter(l -> l.contains("not a moire store"))).hasSize(1);
    assertThat(Files.readAllBytes(shop)).isEqualTo(before);
  }

  @Test
  void aDamagedStore_isMovedAside_andANewOneStarted() throws Exception {
    Path store = dir.resolve("moire.db");
    try (MoireStore s = MoireStore.open(store)) {
      s.snapshots(); // a real store...
    }
    byte[] bytes = Files.readAllBytes(store);
    java.util.Arrays.fill(bytes, 100, bytes.length, (byte) 0x5a); // ...whose pages are garbage
    Files.write(store, bytes);
    EngineExecutionResults results = run(store, dir.resolve("report"));
    assertThat(results.containerEvents().failed().count()).isZero();
    assertThat(failures(results))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f.getMessage()).contains("moire report: "));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("moire.db.damaged-"));
    }
    assertThat(stdout()).contains("it was moved aside to ").contains("a new store started");
    try (MoireStore s = MoireStore.openReadOnly(store)) {
      assertThat(s.snapshots()).hasSize(2);
    }
  }

  @Test
  void anUnwritableReportDirectory_isSaidOnce_namesNoPage_andAddsNoFailure() throws Exception {
    Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
    Path reportDir = blocker.resolve("report"); // cannot be created, even by root
    EngineExecutionResults results = run(dir.resolve("moire.db"), reportDir);
    assertThat(results.containerEvents().failed().count()).as("no phantom failure").isZero();
    assertThat(failures(results))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f.getMessage()).doesNotContain("moire report: "));
    assertThat(stdout().lines().filter(l -> l.contains("cannot write the report in"))).hasSize(1);
    assertThat(stdout()).contains("moire: stored 2 snapshots in ");
  }
}
